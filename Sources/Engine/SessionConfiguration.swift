import API
/// How much the session engine takes on, and where session workspaces live.
public struct SessionConfiguration: Sendable {
    /// Where each session's workspace is mounted (`<directory>/<id>`); it must outlive a daemon restart, so not
    /// under the runtime directory's per-run names that the reaper removes. Typically `<state dir>/sessions`.
    public var directory: String
    /// Active sessions at most (a new one beyond gets 429).
    public var maxSessions: Int
    /// Steps running at once in one session, and in all sessions together.
    public var maxRunningPerSession: Int
    public var maxRunning: Int
    /// Steps a session may start in its life.
    public var maxSteps: Int
    /// CPU time all of a session's steps may use together, at least (a profile whose per-step maximum is
    /// larger gets ten of those).
    public var cpuTime: Duration
    /// The longest lifetime a session may ask for.
    public var maxTTL: Duration
    /// How often lifetimes and idle times are checked.
    public var sweepInterval: Duration

    public init(
        directory: String, maxSessions: Int = 64, maxRunningPerSession: Int = 8, maxRunning: Int = 32,
        maxSteps: Int = 1000, cpuTime: Duration = .seconds(600), maxTTL: Duration = .seconds(24 * 3600),
        sweepInterval: Duration = .seconds(1)
    ) {
        self.directory = directory
        self.maxSessions = maxSessions
        self.maxRunningPerSession = maxRunningPerSession
        self.maxRunning = maxRunning
        self.maxSteps = maxSteps
        self.cpuTime = cpuTime
        self.maxTTL = maxTTL
        self.sweepInterval = sweepInterval
    }
}
