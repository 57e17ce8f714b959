import Foundation
import Synchronization

/// Pings systemd's watchdog ("WATCHDOG=1") every `notifier.watchdogInterval`, but only after `probe` says the
/// daemon answers (in `brig serve`: GET /healthz over its own socket, which needs the event loop and the
/// router). A hung daemon stops pinging and systemd restarts it. Runs on its own thread, not on the
/// cooperative pool, so a starved pool cannot stop the probe from noticing.
public final class SystemdWatchdog: Sendable {
    public let notifier: SystemdNotifier
    public let interval: Duration
    private let probe: @Sendable () -> Bool
    private let stopped = Atomic<Bool>(false)
    private let pings = Atomic<Int>(0)
    private let misses = Atomic<Int>(0)

    /// Nil when systemd has no watchdog for this process.
    public init?(notifier: SystemdNotifier, probe: @escaping @Sendable () -> Bool) {
        guard let interval = notifier.watchdogInterval else { return nil }
        self.notifier = notifier
        self.interval = interval
        self.probe = probe
    }

    public func start() {
        Thread.detachNewThread { [self] in
            while !stopped.load(ordering: .relaxed) {
                let started = ContinuousClock.now
                if probe() {
                    notifier.send("WATCHDOG=1")
                    pings.add(1, ordering: .relaxed)
                } else {
                    misses.add(1, ordering: .relaxed)
                }
                let left = interval - (ContinuousClock.now - started)
                if left > .zero { Thread.sleep(forTimeInterval: Double(left.milliseconds) / 1000) }
            }
        }
    }

    public func stop() {
        stopped.store(true, ordering: .relaxed)
    }

    /// Pings sent and probes that failed, since start.
    public var pingCount: Int { pings.load(ordering: .relaxed) }
    public var missCount: Int { misses.load(ordering: .relaxed) }
}
