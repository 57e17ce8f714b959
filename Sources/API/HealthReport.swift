/// `GET /v1/admin/health`. `status`: "healthy" (ready, every breaker closed, every self-test passing),
/// "degraded" (ready, but a breaker is open, a self-test fails, or brig is draining), "critical" (cannot take
/// work: emergency stop, store, cgroups, disk). The runbook's exit codes follow it: 0, 1, 2 (3: unreachable).
public struct HealthReport: Sendable, Codable, Equatable {
    public var status: String
    public var version: String
    public var readiness: Readiness
    public var draining: Bool
    public var emergencyStopped: Bool
    /// "v1" or "v2", and each controller's mount ("cpu": "/sys/fs/cgroup/cpu,cpuacct", ...).
    public var cgroupVersion: String
    public var cgroupControllers: [String: String]
    public var slots: SlotCounts
    public var queue: QueueHealth
    public var breakers: [BreakerView]
    /// The last self-test of each language (absent until one ran).
    public var selfTests: [SelfTestResult]
    public var store: StoreHealth
    public var disk: DiskHealth
    public var recentErrors: ErrorRate
    public var sessions: Int

    public init(
        status: String, version: String, readiness: Readiness, draining: Bool, emergencyStopped: Bool,
        cgroupVersion: String, cgroupControllers: [String: String], slots: SlotCounts, queue: QueueHealth,
        breakers: [BreakerView], selfTests: [SelfTestResult], store: StoreHealth, disk: DiskHealth,
        recentErrors: ErrorRate, sessions: Int
    ) {
        self.status = status
        self.version = version
        self.readiness = readiness
        self.draining = draining
        self.emergencyStopped = emergencyStopped
        self.cgroupVersion = cgroupVersion
        self.cgroupControllers = cgroupControllers
        self.slots = slots
        self.queue = queue
        self.breakers = breakers
        self.selfTests = selfTests
        self.store = store
        self.disk = disk
        self.recentErrors = recentErrors
        self.sessions = sessions
    }

    enum CodingKeys: String, CodingKey {
        case status, version, readiness, draining, slots, queue, breakers, store, disk, sessions
        case emergencyStopped = "emergency_stopped", cgroupVersion = "cgroup_version"
        case cgroupControllers = "cgroup_controllers", selfTests = "self_tests", recentErrors = "recent_errors"
    }
}
