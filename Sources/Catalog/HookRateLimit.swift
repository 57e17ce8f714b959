/// At most `runs` runs of one hook per `period`, as operators write it: "6/1m", "1/30s". Runs beyond it are
/// dropped (counted and written to the audit log), so a flapping breaker cannot page someone a hundred times.
public struct HookRateLimit: Sendable, Equatable, CustomStringConvertible {
    public var runs: Int
    public var period: Duration

    public init(runs: Int, period: Duration) {
        self.runs = runs
        self.period = period
    }

    public init(parsing text: String) throws(ValueFormatError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let runs = Int(String(parts[0]).trimmingSpaces), runs >= 1 else {
            throw ValueFormatError(reason: "\(text.debugDescription) is not a rate such as \"6/1m\" (runs per period)")
        }
        let period = try DurationText(parsing: String(parts[1])).duration
        guard period > .zero else { throw ValueFormatError(reason: "\(text.debugDescription): the period must be longer than 0") }
        self.init(runs: runs, period: period)
    }

    public var description: String { "\(runs)/\(DurationText(period))" }
}
