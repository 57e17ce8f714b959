/// Section 3's figures: each concurrency level, the daemon's memory before and after them, and its memory as
/// the endurance rounds add jobs.
struct BenchThroughputFigures: Codable, Sendable {
    let loads: [BenchLoad]
    let idleResidentKilobytes: Int?
    let idleAfterLoadResidentKilobytes: Int?
    let endurance: [BenchResidentPoint]
}

/// The daemon's resident memory once it had run `jobs` jobs.
struct BenchResidentPoint: Codable, Sendable {
    let jobs: Int
    let kilobytes: Int?
}
