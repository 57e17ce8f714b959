import Synchronization

/// Per hook (by executable): at most `runs` starts in any `period`, a sliding window. Dropped runs are counted.
final class HookRateLimiter: Sendable {
    let runs: Int
    let period: Duration
    private struct State {
        var starts: [String: [ContinuousClock.Instant]] = [:]
        var dropped: [String: Int] = [:]
    }
    private let state = Mutex(State())

    init(runs: Int, period: Duration) {
        self.runs = runs
        self.period = period
    }

    /// Whether `hook` may run now (and if so, counts the run); otherwise the drop is counted and the hook's total
    /// of dropped runs comes back.
    func admit(_ hook: String, at now: ContinuousClock.Instant = .now) -> (admitted: Bool, droppedSoFar: Int) {
        state.withLock { state in
            let recent = (state.starts[hook] ?? []).filter { now - $0 < period }
            guard recent.count < runs else {
                state.starts[hook] = recent
                state.dropped[hook, default: 0] += 1
                return (false, state.dropped[hook, default: 0])
            }
            state.starts[hook] = recent + [now]
            return (true, state.dropped[hook, default: 0])
        }
    }

    var droppedTotal: Int {
        state.withLock { $0.dropped.values.reduce(0, +) }
    }
}
