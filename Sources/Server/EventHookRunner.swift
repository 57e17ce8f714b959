import API
import Catalog
import Engine
import Foundation
import Logging
import Metrics
import Synchronization

/// Runs the operator's hook executables on engine events: the event as JSON on stdin, each run on its own
/// thread (the engine and the event stream never wait for a hook), under the timeout and the per-hook rate
/// limit. Every run, and every run dropped by the rate limit, goes to the audit log.
public final class EventHookRunner: Sendable {
    public let configuration: EventHookConfiguration
    private let audit: AuditLog?
    private let logger: Logger
    private let limiter: HookRateLimiter
    private let inFlight = Mutex(0)
    private let dropped = Counter(label: "brig_hook_runs_dropped_total")

    public init(configuration: EventHookConfiguration, audit: AuditLog?, logger: Logger) {
        self.configuration = configuration
        self.audit = audit
        self.logger = logger
        limiter = HookRateLimiter(runs: configuration.runsPerPeriod, period: configuration.period)
        // A hook that exits before reading its stdin must not kill the daemon with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
    }

    /// Hands every event of `events` to `handle` until the stream ends.
    public func consume(_ events: AsyncStream<EngineEvent>) async {
        for await event in events { handle(event) }
    }

    /// Starts the event's hooks and returns at once.
    public func handle(_ event: EngineEvent) {
        let hooks = configuration.commands[event.kind] ?? []
        guard !hooks.isEmpty else { return }
        let input: [UInt8]
        do {
            input = Array(try APIJSON.encoder().encode(event)) + [UInt8(ascii: "\n")]
        } catch {
            logger.error("event could not be encoded for its hooks", metadata: ["event": "\(event.kind.rawValue)"])
            return
        }
        for hook in hooks {
            let (admitted, droppedSoFar) = limiter.admit(hook)
            guard admitted else {
                dropped.increment()
                logger.warning("hook run dropped by the rate limit", metadata: ["hook": "\(hook)", "event": "\(event.kind.rawValue)"])
                audit?.record(AuditEntry(
                    type: "hook", action: hook, event: event.kind.rawValue, result: "dropped",
                    message: "not run: more than \(limiter.runs) runs in \(DurationText(limiter.period)) (\(droppedSoFar) dropped so far)",
                    detail: ["dropped_total": "\(droppedSoFar)"]))
                continue
            }
            inFlight.withLock { $0 += 1 }
            let environment = [
                "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "BRIG_EVENT": event.kind.rawValue,
            ]
            let timeout = configuration.timeout
            Thread.detachNewThread { [self] in
                let started = ContinuousClock.now
                let outcome = HookProcess.run(executable: hook, input: input, environment: environment, timeout: timeout)
                finished(hook, event: event, outcome: outcome, after: ContinuousClock.now - started)
            }
        }
    }

    private func finished(_ hook: String, event: EngineEvent, outcome: HookOutcome, after elapsed: Duration) {
        let message: String
        switch outcome {
        case .exited(let code): message = "exited \(code)"
        case .signaled(let signal): message = "killed by signal \(signal)"
        case .killedAfterTimeout: message = "still running after \(DurationText(configuration.timeout)): killed with its process group"
        case .failedToStart(let reason): message = "could not start: \(reason)"
        }
        if outcome != .exited(0) {
            logger.warning("hook failed", metadata: ["hook": "\(hook)", "event": "\(event.kind.rawValue)", "outcome": "\(message)"])
        }
        audit?.record(AuditEntry(
            type: "hook", action: hook, event: event.kind.rawValue, result: outcome.result, message: message,
            detail: ["duration_ms": "\(elapsed.milliseconds)"]))
        inFlight.withLock { $0 -= 1 }
    }

    /// Runs dropped by the rate limit since start.
    public var droppedRuns: Int { limiter.droppedTotal }

    /// Hook runs started and not yet finished.
    public var runsInFlight: Int { inFlight.withLock { $0 } }

    /// Waits (polling) until no hook runs, at most `timeout`; whether they all finished. For shutdown and tests.
    public func waitUntilIdle(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while runsInFlight > 0 {
            guard ContinuousClock.now < deadline else { return false }
            usleep(10_000)
        }
        return true
    }
}
