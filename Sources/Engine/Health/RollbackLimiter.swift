import API
/// How many automatic rollbacks each language had lately: at most `limit` within `window`, so that a change an
/// operator's tooling keeps re-applying escalates to a person instead of flipping back and forth for ever.
struct RollbackLimiter: Sendable {
    let limit: Int
    let window: Duration
    private var times: [String: [ContinuousClock.Instant]] = [:]

    init(limit: Int, window: Duration) {
        self.limit = limit
        self.window = window
    }

    /// Counts a rollback of `language` and answers true when it is within the limit; false (counting nothing)
    /// when `limit` rollbacks already happened within the window.
    mutating func allow(_ language: String, now: ContinuousClock.Instant = .now) -> Bool {
        var recent = times[language, default: []].filter { now - $0 < window }
        guard recent.count < limit else {
            times[language] = recent
            return false
        }
        recent.append(now)
        times[language] = recent
        return true
    }

    func recentCount(_ language: String, now: ContinuousClock.Instant = .now) -> Int {
        times[language, default: []].filter { now - $0 < window }.count
    }
}
