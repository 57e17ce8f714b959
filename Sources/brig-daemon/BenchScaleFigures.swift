/// Section 4's figures: each request's latency with few and with many jobs stored, and the retention purge.
struct BenchScaleFigures: Codable, Sendable {
    let fewJobs: Int
    let manyJobs: Int
    /// Each request with `fewJobs` stored, then with `manyJobs`; ratio is the latter's p50 over the former's.
    let requests: [BenchFigure]
    let purgedJobs: Int
    let purgeMilliseconds: Double
    /// How long storing the jobs took (JobStore.insert, one transaction each), for the record.
    let seedMilliseconds: Double
}
