import API
import Catalog
import Foundation
import Sandbox

extension JobEngine {
    /// Runs one sandbox under the watchdog: registered with its deadline (the wall-time limit plus
    /// `watchdogGrace`) for as long as `launcher.run` takes. Refused at once (cancelled) after an emergency stop.
    func runWatched(
        _ name: String, _ spec: SandboxSpec, in warm: WarmSandbox? = nil, cancellation: CancellationSignal,
        onOutput: ((OutputStreamKind, UnsafeRawBufferPointer) -> Void)?, onStart: (() -> Void)? = nil
    ) -> SandboxResult {
        var launched = spec
        if healthState.primaryDeadlineDisabled.load(ordering: .relaxed) {
            launched.limits.wallTime = .seconds(3600)
            launched.limits.cpuTime = .seconds(3600)
        }
        healthState.sandboxes.register(name, signal: cancellation, wallTime: spec.limits.wallTime, grace: configuration.watchdogGrace)
        defer {
            healthState.sandboxes.unregister(name)
            refreshGauges()
        }
        // Registered first, checked second: an emergency stop that enumerated before this registration set the
        // flag before it, so one of the two sees the other.
        if healthState.emergencyStopped.load(ordering: .relaxed) {
            healthState.endings.withLock { $0[name] = JobEnding(status: .cancelled, message: Self.emergencyStopMessage) }
            cancellation.cancel()
        }
        refreshGauges()
        return launcher.run(launched, in: warm, cancellation: cancellation, onOutput: onOutput, onStart: onStart)
    }

    static let emergencyStopMessage = "killed by an emergency stop"

    /// The watchdog's thread: every quarter of the grace (at most a second, at least 50 ms) it kills, cgroup-wide,
    /// whatever is still running past its deadline, independently of the launcher's poll loop.
    func startWatchdog() {
        let tick = min(max(Self.seconds(configuration.watchdogGrace) / 4, 0.05), 1)
        healthState.threads.enter()
        let watchdog = Thread { [self] in
            while !healthState.stopping.load(ordering: .relaxed) {
                for entry in healthState.sandboxes.takeOverdue() { watchdogKill(entry) }
                _ = healthState.watchdogWake.wait(timeout: .now() + tick)
            }
            healthState.threads.leave()
        }
        watchdog.name = "brig-watchdog"
        watchdog.start()
    }

    func watchdogKill(_ entry: SandboxRegistry.Entry) {
        let limit = DurationText(entry.wallTime).description
        let grace = DurationText(configuration.watchdogGrace).description
        let message = "killed by the watchdog: still running \(grace) past its \(limit) wall-time limit"
        healthState.endings.withLock { $0[entry.name] = JobEnding(status: .timeout, message: message) }
        // Counted as decided, before the kill: the kill ends the job, and whoever waits on it may read the metric
        // at once.
        healthState.metrics.count(EngineMetrics.watchdogKills)
        var outcome = "killed"
        do {
            if try !entry.signal.killSandbox() { outcome = "not started yet; cancelled" }
        } catch {
            outcome = "kill failed: \(error)"
        }
        entry.signal.cancel()
        publish(.watchdogKill, ["job_id": entry.name, "wall_time": limit, "grace": grace, "outcome": outcome])
    }
}
