/// Section 3's figures: each concurrency level, and the daemon's memory before and after them.
struct BenchThroughputFigures: Codable, Sendable {
    let loads: [BenchLoad]
    let idleResidentKilobytes: Int?
    let idleAfterLoadResidentKilobytes: Int?
}
