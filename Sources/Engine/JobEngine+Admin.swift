import API
import Foundation
import Sandbox

extension JobEngine: AdminService {
    public func readiness() async -> Readiness {
        await Self.onThread { self.evaluateReadiness().readiness }
    }

    public func health() async -> HealthReport {
        await Self.onThread { self.healthReport() }
    }

    public func drain(peer: Peer) async throws(APIError) -> AdminActionReport {
        try Self.requireOperator(peer, "drain")
        let was = healthState.adminDraining.exchange(true, ordering: .relaxed)
        if !was { publish(.drain, ["uid": "\(peer.uid)"]) }
        return AdminActionReport(
            action: "drain",
            message: was ? "already draining" : "draining: new jobs get 503; \(running.withLock { $0.count }) running and \(queue.depth) queued jobs go on")
    }

    public func resume(peer: Peer) async throws(APIError) -> AdminActionReport {
        try Self.requireOperator(peer, "resume")
        let wasDraining = healthState.adminDraining.exchange(false, ordering: .relaxed)
        let wasStopped = healthState.emergencyStopped.exchange(false, ordering: .relaxed)
        queue.wake()  // workers held back by the emergency stop look at the queue again
        if wasDraining || wasStopped {
            publish(.resume, ["uid": "\(peer.uid)", "after": wasStopped ? "emergency_stop" : "drain"])
        }
        _ = await readiness()  // publishes readiness_regained now rather than at the next tick
        let message = wasStopped ? "resumed after an emergency stop: taking jobs, \(queue.depth) queued jobs run"
            : wasDraining ? "resumed: taking jobs" : "was not drained or stopped"
        return AdminActionReport(action: "resume", message: message)
    }

    public func emergencyStop(peer: Peer) async throws(APIError) -> AdminActionReport {
        try Self.requireOperator(peer, "emergency-stop")
        let (killed, elapsed) = await Self.onThread { self.stopEverything() }
        let milliseconds = Int(Self.seconds(elapsed) * 1000)
        publish(.emergencyStop, ["uid": "\(peer.uid)", "killed": "\(killed)", "milliseconds": "\(milliseconds)"])
        return AdminActionReport(
            action: "emergency_stop",
            message: "killed \(killed) running sandboxes in \(milliseconds) ms; new jobs are refused and queued jobs wait until POST /v1/admin/resume",
            killed: killed)
    }

    public func reap(peer: Peer) async throws(APIError) -> ReapReport {
        try Self.requireOperator(peer, "reap")
        let removed = await Self.onThread { self.launcher.reapLeftovers() }
        if !removed.isEmpty {
            publish(.leftoversReaped, ["when": "on demand", "count": "\(removed.count)", "removed": removed.joined(separator: "; ")])
        }
        return ReapReport(removed: removed)
    }

    public func selfTest(peer: Peer) async throws(APIError) -> SelfTestReport {
        try Self.requireOperator(peer, "selftest")
        return await Self.onThread { self.selfTestAll() }
    }

    public func events() -> AsyncStream<EngineEvent> {
        healthState.events.subscribe()
    }

    // MARK: Plumbing

    /// Sets the emergency stop, cancels every job that holds a slot and kills every sandbox's cgroup at once,
    /// in parallel; answers how many sandboxes were running and how long the kills took.
    func stopEverything() -> (killed: Int, elapsed: Duration) {
        let started = ContinuousClock.now
        healthState.emergencyStopped.store(true, ordering: .relaxed)
        let jobs = running.withLock { $0 }
        healthState.endings.withLock { endings in
            for id in jobs.keys { endings[id] = JobEnding(status: .cancelled, message: Self.emergencyStopMessage) }
        }
        for signal in jobs.values { signal.cancel() }
        // Each run's own loop kills its sandbox on the cancel; the cgroup-wide kills here do not wait for those
        // loops (one may be stuck). Whichever comes first, every sandbox running now is killed.
        let sandboxes = healthState.sandboxes.all
        DispatchQueue.concurrentPerform(iterations: sandboxes.count) { index in
            let entry = sandboxes[index]
            entry.signal.cancel()
            do {
                try entry.signal.killSandbox()
            } catch {
                logger.error("emergency stop: a sandbox's kill failed", metadata: ["run": "\(entry.name)", "error": "\(error)"])
            }
        }
        // Then the spare sandboxes, ready or being prepared: after an emergency stop no sandbox process is left.
        for spare in warmSpares.withLock({ $0 }) { spare.discard() }
        return (sandboxes.count, ContinuousClock.now - started)
    }

    static func requireOperator(_ peer: Peer, _ action: String) throws(APIError) {
        guard peer.isOperator else {
            throw APIError("forbidden", "only operators may \(action)", httpStatus: 403)
        }
    }

    /// Runs blocking work (sandbox runs, cgroup writes, fsyncs) on a thread of its own, off the cooperative pool.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: body()) }
        }
    }
}
