import API
import Foundation

/// One language's circuit breaker. Closed: jobs run; `threshold` consecutive failures (internal errors of its
/// jobs, failed self-tests) open it. Open: its jobs get 503 with `reason`; once `coolDown` has passed it turns
/// half-open and one self-test decides: passed closes it, failed opens it again for another cool-down. A pass
/// of any self-test closes it too; a job's success only resets the count while closed (it cannot vouch for a
/// language that was opened by a failing self-test).
struct CircuitBreaker: Sendable, Equatable {
    enum State: String, Sendable {
        case closed
        case halfOpen = "half_open"
        case open

        /// brig_breaker_state's value.
        var gauge: Int {
            switch self {
            case .closed: 0
            case .halfOpen: 1
            case .open: 2
            }
        }
    }

    /// What a recorded outcome did to the breaker, for the events.
    enum Transition: Equatable {
        case opened(reason: String)
        case closed
    }

    private(set) var state = State.closed
    private(set) var consecutiveFailures = 0
    private(set) var reason: String?
    private(set) var changedAt: Date?
    private var openedAt: ContinuousClock.Instant?

    /// A job's internal error or a failed self-test.
    mutating func recordFailure(_ reason: String, threshold: Int, now: ContinuousClock.Instant = .now) -> Transition? {
        consecutiveFailures += 1
        switch state {
        case .closed where consecutiveFailures >= max(1, threshold), .halfOpen:
            return open(reason, now: now)
        case .closed, .open:
            return nil
        }
    }

    /// A job that ran (any status but internal_error).
    mutating func recordJobSuccess() {
        if state == .closed { consecutiveFailures = 0 }
    }

    /// A passed self-test: closes the breaker whatever its state.
    mutating func recordSelfTestPass() -> Transition? {
        consecutiveFailures = 0
        guard state != .closed else { return nil }
        state = .closed
        reason = nil
        openedAt = nil
        changedAt = Date()
        return .closed
    }

    /// Opens at once, whatever the count (a reloaded manifest that failed its self-test and was not rolled back).
    mutating func forceOpen(_ reason: String, now: ContinuousClock.Instant = .now) -> Transition? {
        consecutiveFailures = max(consecutiveFailures, 1)
        return state == .open && self.reason == reason ? nil : open(reason, now: now)
    }

    /// Open past its cool-down: turns half-open and answers true (the caller runs the deciding self-test).
    mutating func probeIfDue(coolDown: Duration, now: ContinuousClock.Instant = .now) -> Bool {
        guard state == .open, let openedAt, now - openedAt >= coolDown else { return false }
        state = .halfOpen
        changedAt = Date()
        return true
    }

    private mutating func open(_ reason: String, now: ContinuousClock.Instant) -> Transition? {
        let wasOpen = state == .open
        state = .open
        self.reason = reason
        openedAt = now
        changedAt = Date()
        return wasOpen ? nil : .opened(reason: reason)
    }

    func view(language: String) -> BreakerView {
        BreakerView(language: language, state: state.rawValue, consecutiveFailures: consecutiveFailures, reason: reason, changedAt: changedAt)
    }
}
