/// A benchmark that could not measure what it set out to: which step, and why.
struct BenchFailure: Error, CustomStringConvertible {
    let step: String
    let reason: String

    init(_ step: String, _ reason: String) {
        self.step = step
        self.reason = reason
    }

    var description: String { "\(step): \(reason)" }
}
