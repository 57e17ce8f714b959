import API
import Sandbox
import Synchronization

/// Every sandbox run in flight (jobs' compile and run steps, self-tests) with the moment it must be over by:
/// what the watchdog checks and what an emergency stop kills. Independent of the launcher's own poll loop,
/// which enforces the limits first.
final class SandboxRegistry: Sendable {
    struct Entry: Sendable {
        /// The job id, or "self-test <language>".
        let name: String
        let signal: CancellationSignal
        /// The run's wall-time limit plus the watchdog's grace, from registration.
        let deadline: ContinuousClock.Instant
        let wallTime: Duration
        var killed = false
    }

    private let entries = Mutex<[String: Entry]>([:])

    func register(_ name: String, signal: CancellationSignal, wallTime: Duration, grace: Duration) {
        entries.withLock {
            $0[name] = Entry(name: name, signal: signal, deadline: .now + wallTime + grace, wallTime: wallTime)
        }
    }

    func unregister(_ name: String) {
        _ = entries.withLock { $0.removeValue(forKey: name) }
    }

    /// The runs past their deadline that were not handed out before; each is marked so it is handed out once.
    func takeOverdue(now: ContinuousClock.Instant = .now) -> [Entry] {
        entries.withLock { all in
            var overdue: [Entry] = []
            for (name, entry) in all where !entry.killed && now >= entry.deadline {
                all[name]?.killed = true
                overdue.append(entry)
            }
            return overdue
        }
    }

    var all: [Entry] {
        entries.withLock { Array($0.values) }
    }

    var count: Int {
        entries.withLock { $0.count }
    }
}
