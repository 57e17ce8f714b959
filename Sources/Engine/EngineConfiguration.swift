import API
import Metrics

/// How much work the engine takes on.
public struct EngineConfiguration: Sendable {
    /// Sandboxes running at once (worker threads).
    public var slots: Int
    /// Jobs waiting at most; one more is refused with 429 and Retry-After.
    public var queueCapacity: Int
    /// Finished jobs older than this are purged.
    public var retentionAge: Duration
    /// At most this many finished jobs are kept.
    public var retentionCount: Int
    /// How often retention runs.
    public var purgeInterval: Duration

    // MARK: Health and self-healing

    /// The folder whose filesystem the disk guard watches (the store's); nil watches none.
    public var stateDirectory: String?
    /// Below this much free space in `stateDirectory` brig is not ready and refuses new jobs (503 `disk_low`),
    /// so the store never meets a full disk mid-write.
    public var minimumFreeDiskBytes: Int64
    /// Consecutive internal errors or self-test failures of one language that open its circuit breaker.
    public var breakerThreshold: Int
    /// How long an open breaker refuses jobs before one self-test decides whether it closes.
    public var breakerCoolDown: Duration
    /// How often every language's hello world runs; nil never (only on demand and after reloads).
    public var selfTestInterval: Duration?
    /// Whether a self-test of every language runs right at start (it costs a compile per compiled language, so
    /// it is off by default and the first periodic one comes one interval after start).
    public var selfTestAtStart: Bool
    /// How often readiness is evaluated (readiness_lost / readiness_regained) and due breaker probes run.
    public var healthInterval: Duration
    /// A sandbox still running this long past its wall-time limit is killed, cgroup-wide, by the watchdog. It
    /// covers the sandbox's setup, which the limit does not count.
    public var watchdogGrace: Duration
    /// At most this many automatic rollbacks per language within `rollbackWindow`; beyond that a failing manifest
    /// goes live with its breaker open and an escalation event fires instead.
    public var rollbackLimit: Int
    public var rollbackWindow: Duration
    /// Where `brig_*` metrics go; nil: the process-wide `MetricsSystem` factory at the time the engine is made.
    public var metricsFactory: (any MetricsFactory)?

    public init(
        slots: Int = 2, queueCapacity: Int = 1000, retentionAge: Duration = .seconds(7 * 24 * 3600),
        retentionCount: Int = 100_000, purgeInterval: Duration = .seconds(600), stateDirectory: String? = nil,
        minimumFreeDiskBytes: Int64 = 256 << 20, breakerThreshold: Int = 3, breakerCoolDown: Duration = .seconds(60),
        selfTestInterval: Duration? = .seconds(900), selfTestAtStart: Bool = false, healthInterval: Duration = .seconds(5),
        watchdogGrace: Duration = .seconds(10), rollbackLimit: Int = 3, rollbackWindow: Duration = .seconds(3600),
        metricsFactory: (any MetricsFactory)? = nil
    ) {
        self.slots = slots
        self.queueCapacity = queueCapacity
        self.retentionAge = retentionAge
        self.retentionCount = retentionCount
        self.purgeInterval = purgeInterval
        self.stateDirectory = stateDirectory
        self.minimumFreeDiskBytes = minimumFreeDiskBytes
        self.breakerThreshold = breakerThreshold
        self.breakerCoolDown = breakerCoolDown
        self.selfTestInterval = selfTestInterval
        self.selfTestAtStart = selfTestAtStart
        self.healthInterval = healthInterval
        self.watchdogGrace = watchdogGrace
        self.rollbackLimit = rollbackLimit
        self.rollbackWindow = rollbackWindow
        self.metricsFactory = metricsFactory
    }
}
