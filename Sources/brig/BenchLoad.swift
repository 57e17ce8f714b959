/// One concurrency level of the throughput section: how many jobs finished per second and how long each took.
struct BenchLoad: Codable, Sendable {
    let clients: Int
    let jobs: Int
    let seconds: Double
    let jobsPerSecond: Double
    let latency: Percentiles
    /// The daemon's largest VmRSS seen while the clients ran, in KiB.
    let peakResidentKilobytes: Int?
}
