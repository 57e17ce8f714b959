/// What the report shows of a `Samples`: how many, and the 50th, 95th and 99th percentiles in milliseconds.
struct Percentiles: Codable, Sendable {
    let count: Int
    let p50: Double
    let p95: Double
    let p99: Double
}
