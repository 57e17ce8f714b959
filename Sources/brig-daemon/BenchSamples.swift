/// Timings of one measured thing, in milliseconds.
struct Samples: Sendable {
    private(set) var milliseconds: [Double] = []
    /// CPU time per sample where it was measured (see `BenchCPUTime`), in milliseconds.
    private(set) var cpuMilliseconds: [Double] = []

    mutating func add(_ value: Double, cpu: Double? = nil) {
        milliseconds.append(value)
        if let cpu { cpuMilliseconds.append(cpu) }
    }

    mutating func add(contentsOf other: Samples) {
        milliseconds += other.milliseconds
        cpuMilliseconds += other.cpuMilliseconds
    }

    /// The median CPU time, when it was measured.
    var cpuMedian: Double? {
        cpuMilliseconds.isEmpty ? nil : Self.percentile(50, of: cpuMilliseconds)
    }

    var isEmpty: Bool { milliseconds.isEmpty }

    /// The nearest-rank percentile (`rank` in 0...100): a value that was actually measured, never interpolated.
    func percentile(_ rank: Double) -> Double {
        Self.percentile(rank, of: milliseconds)
    }

    private static func percentile(_ rank: Double, of values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let position = Int((rank / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(position, 0), sorted.count - 1)]
    }

    var percentiles: Percentiles {
        Percentiles(count: milliseconds.count, p50: percentile(50), p95: percentile(95), p99: percentile(99))
    }
}
