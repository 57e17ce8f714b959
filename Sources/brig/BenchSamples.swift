/// Timings of one measured thing, in milliseconds.
struct Samples: Sendable {
    private(set) var milliseconds: [Double] = []

    mutating func add(_ value: Double) {
        milliseconds.append(value)
    }

    mutating func add(contentsOf other: Samples) {
        milliseconds += other.milliseconds
    }

    var isEmpty: Bool { milliseconds.isEmpty }

    /// The nearest-rank percentile (`rank` in 0...100): a value that was actually measured, never interpolated.
    func percentile(_ rank: Double) -> Double {
        let sorted = milliseconds.sorted()
        guard !sorted.isEmpty else { return 0 }
        let position = Int((rank / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(position, 0), sorted.count - 1)]
    }

    var percentiles: Percentiles {
        Percentiles(count: milliseconds.count, p50: percentile(50), p95: percentile(95), p99: percentile(99))
    }
}
