import API
import Engine
import Foundation

/// An `AdminService` with a settable state: records each call with its peer, refuses non-operators like the
/// engine must (403), and hands out an event stream the test feeds.
actor FakeAdminService: AdminService {
    struct Call: Sendable, Equatable {
        var method: String
        var peer: Peer?
    }

    private(set) var calls: [Call] = []
    var readinessValue: Readiness
    var report: HealthReport
    var failure: APIError?
    nonisolated let eventStream: AsyncStream<EngineEvent>
    nonisolated let eventFeed: AsyncStream<EngineEvent>.Continuation

    init(ready: Bool = true, reasons: [String] = [], status: String = "healthy", failure: APIError? = nil) {
        readinessValue = Readiness(ready: ready, reasons: reasons)
        report = Self.report(status: status, readiness: readinessValue)
        self.failure = failure
        (eventStream, eventFeed) = AsyncStream.makeStream(of: EngineEvent.self)
    }

    static let at = Date(timeIntervalSince1970: 1_767_323_045.678)

    static func report(status: String, readiness: Readiness) -> HealthReport {
        HealthReport(
            status: status, version: "0.1.0-test", readiness: readiness, draining: false, emergencyStopped: false,
            cgroupVersion: "v1", cgroupControllers: ["memory": "/sys/fs/cgroup/memory", "pids": "/sys/fs/cgroup/pids"],
            slots: SlotCounts(total: 2, busy: 1, free: 1), queue: QueueHealth(depth: 3, capacity: 1000, oldestAgeSeconds: 1.5),
            breakers: [
                BreakerView(language: "python", state: "closed", consecutiveFailures: 0, reason: nil, changedAt: nil),
                BreakerView(language: "c", state: "open", consecutiveFailures: 5, reason: "self-test: exit 1", changedAt: at),
            ],
            selfTests: [SelfTestResult(language: "python", passed: true, at: at, durationMilliseconds: 120, message: nil)],
            store: StoreHealth(path: "/var/lib/brig/brig.sqlite", bytes: 1 << 20, integrity: "ok"),
            disk: DiskHealth(path: "/var/lib/brig", freeBytes: 10 << 30, thresholdBytes: 512 << 20),
            recentErrors: ErrorRate(windowSeconds: 300, finished: 40, internalErrors: 1), sessions: 0)
    }

    func setFailure(_ failure: APIError?) {
        self.failure = failure
    }

    private func record(_ method: String, _ peer: Peer? = nil) throws(APIError) {
        calls.append(Call(method: method, peer: peer))
        if let failure { throw failure }
        if let peer, !peer.isOperator {
            throw APIError("forbidden", "only operators may \(method)", httpStatus: 403)
        }
    }

    func readiness() async -> Readiness {
        calls.append(Call(method: "readiness"))
        return readinessValue
    }

    func health() async -> HealthReport {
        calls.append(Call(method: "health"))
        return report
    }

    func drain(peer: Peer) async throws(APIError) -> AdminActionReport {
        try record("drain", peer)
        return AdminActionReport(action: "drain", message: "draining: new jobs get 503; 1 running, 3 queued go on")
    }

    func resume(peer: Peer) async throws(APIError) -> AdminActionReport {
        try record("resume", peer)
        return AdminActionReport(action: "resume", message: "taking work again")
    }

    func emergencyStop(peer: Peer) async throws(APIError) -> AdminActionReport {
        try record("emergency_stop", peer)
        return AdminActionReport(action: "emergency_stop", message: "killed every running sandbox; no work is taken until resume", killed: 2)
    }

    func reap(peer: Peer) async throws(APIError) -> ReapReport {
        try record("reap", peer)
        return ReapReport(removed: ["cgroup /sys/fs/cgroup/memory/brig/run-12-3", "process 4242"])
    }

    func selfTest(peer: Peer) async throws(APIError) -> SelfTestReport {
        try record("selftest", peer)
        return SelfTestReport(results: [
            SelfTestResult(language: "python", passed: true, at: Self.at, durationMilliseconds: 120, message: nil),
            SelfTestResult(language: "c", passed: false, at: Self.at, durationMilliseconds: 300, message: "exit 1, expected 0"),
        ])
    }

    nonisolated func events() -> AsyncStream<EngineEvent> {
        eventStream
    }
}
