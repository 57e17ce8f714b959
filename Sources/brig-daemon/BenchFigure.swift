/// One contender's timings in a side-by-side comparison, with its median as a multiple of the baseline's.
struct BenchFigure: Codable, Sendable {
    let name: String
    /// Nil when the contender was skipped.
    let latency: Percentiles?
    /// p50 divided by the baseline's p50 (the first row of the comparison).
    let ratio: Double?
    /// p50 minus the baseline's p50, in milliseconds.
    let overBaseline: Double?
    /// The median CPU time of a turn, where it was measured (see `BenchCPUTime`).
    var cpuMilliseconds: Double? = nil
    let note: String?

    /// The figures of contenders measured together, the first one being the baseline.
    static func compare(_ contenders: [BenchContender], _ samples: [Samples]) -> [BenchFigure] {
        compare(names: contenders.map(\.name), samples, notes: contenders.map(\.skipped))
    }

    /// The figures of `names[i]` measured as `samples[i]`; one without samples shows its note instead.
    static func compare(names: [String], _ samples: [Samples], notes: [String?] = []) -> [BenchFigure] {
        let baseline = samples.first?.percentile(50) ?? 0
        return zip(names, samples).enumerated().map { index, row in
            let (name, samples) = row
            guard !samples.isEmpty else {
                return BenchFigure(
                    name: name, latency: nil, ratio: nil, overBaseline: nil,
                    note: notes.indices.contains(index) ? notes[index] : "not measured")
            }
            let latency = samples.percentiles
            return BenchFigure(
                name: name, latency: latency, ratio: baseline > 0 ? latency.p50 / baseline : nil,
                overBaseline: latency.p50 - baseline, cpuMilliseconds: samples.cpuMedian, note: nil)
        }
    }
}
