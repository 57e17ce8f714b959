/// The `[hooks]` table of the daemon's settings: executables to run on engine events, with the event as JSON
/// on stdin, each under `timeout` and `rate_limit`.
///
/// ```toml
/// [hooks]
/// breaker_opened = ["/etc/brig/hooks/page.sh"]
/// emergency_stop = ["/etc/brig/hooks/page.sh", "/etc/brig/hooks/log.sh"]
/// timeout = "10s"        # a hook still running then is killed (its whole process group)
/// rate_limit = "6/1m"    # per hook; runs beyond it are dropped and audited
/// ```
public struct HookSettings: Sendable, Equatable {
    /// Executables (absolute paths) by event name.
    public var commands: [String: [String]]
    public var timeout: Duration?
    public var rateLimit: HookRateLimit?

    public init(commands: [String: [String]] = [:], timeout: Duration? = nil, rateLimit: HookRateLimit? = nil) {
        self.commands = commands
        self.timeout = timeout
        self.rateLimit = rateLimit
    }

    /// The engine's event kinds (EngineEvent.Kind's raw values; a server test keeps the two lists equal — the
    /// catalog sits below the engine and cannot name its type).
    public static let eventNames = [
        "breaker_opened", "breaker_closed", "watchdog_kill", "readiness_lost", "readiness_regained", "emergency_stop",
        "leftovers_reaped", "config_rolled_back", "escalation", "drain", "resume",
    ]

    init(_ table: TableReader) throws(CatalogError) {
        self.init()
        for name in Self.eventNames {
            guard let paths = try table.stringArray(name) else { continue }
            for path in paths where !path.hasPrefix("/") {
                throw table.error(name, "\(path.debugDescription) must be an absolute path to an executable")
            }
            if !paths.isEmpty { commands[name] = paths }
        }
        timeout = try table.duration("timeout")
        if let timeout, timeout <= .zero { throw table.error("timeout", "must be longer than 0") }
        if let text = try table.string("rate_limit") {
            do {
                rateLimit = try HookRateLimit(parsing: text)
            } catch {
                throw table.error("rate_limit", error.reason)
            }
        }
    }
}
