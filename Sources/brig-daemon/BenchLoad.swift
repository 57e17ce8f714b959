/// One concurrency level of the throughput section: how many jobs finished per second and how long each took.
struct BenchLoad: Codable, Sendable {
    let clients: Int
    let jobs: Int
    let seconds: Double
    let jobsPerSecond: Double
    let latency: Percentiles
    /// The daemon's largest VmRSS seen while the clients ran, in KiB.
    let peakResidentKilobytes: Int?
    /// The daemon's CPU time per job while the clients ran: its own, and its sandboxes' (reaped ones: the
    /// last few jobs' are reaped later, which counts them in the next load).
    let cpuPerJob: BenchProcessCPU?
}
