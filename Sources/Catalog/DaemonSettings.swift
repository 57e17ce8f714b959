/// `brig serve --config FILE`: the daemon's settings in TOML, each optional; a command-line flag wins over
/// the file. Mistakes are named by file, key and reason like every operator file.
///
/// ```toml
/// socket = "/run/brig/brig.sock"
/// socket_group = 1001    # members of this group may connect to the socket (0660)
/// state_dir = "/var/lib/brig"
/// runtime_dir = "/run/brig"
/// catalog = "/etc/brig"
/// slots = 2
/// queue = 1000
/// operator_uids = [1000]
/// operator_gids = [27]
/// grace = "30s"
/// max_body = "4MiB"
/// retention_age = "7d"   # finished jobs older than this are purged ("168h")
/// retention_count = 100000
/// audit_log = "/var/lib/brig/audit.log"   # default: audit.log in state_dir
/// min_free_disk = "512MiB"     # below this free in state_dir: not ready, new jobs get 503
/// breaker_threshold = 3        # consecutive failures of one language that open its breaker
/// breaker_cool_down = "60s"    # an open breaker's wait before one probe decides
/// self_test_interval = "15m"   # every language's hello world; "0s" turns the periodic one off
/// watchdog_grace = "10s"       # a sandbox this long past its wall time is killed cgroup-wide
///
/// [hooks]                # see HookSettings
/// breaker_opened = ["/etc/brig/hooks/page.sh"]
/// timeout = "10s"
/// rate_limit = "6/1m"
/// ```
public struct DaemonSettings: Sendable, Equatable {
    public var socket: String?
    public var socketGroup: UInt32?
    public var stateDirectory: String?
    public var runtimeDirectory: String?
    public var catalog: String?
    public var slots: Int?
    public var queue: Int?
    public var operatorUIDs: [UInt32]?
    public var operatorGIDs: [UInt32]?
    public var grace: Duration?
    public var maxBodyBytes: UInt64?
    public var retentionAge: Duration?
    public var retentionCount: Int?
    public var auditLog: String?
    public var hooks: HookSettings?
    // The engine's health knobs (EngineConfiguration: minimumFreeDiskBytes, breakerThreshold, breakerCoolDown,
    // selfTestInterval, watchdogGrace).
    public var minimumFreeDiskBytes: UInt64?
    public var breakerThreshold: Int?
    public var breakerCoolDown: Duration?
    /// Zero: no periodic self-test.
    public var selfTestInterval: Duration?
    public var watchdogGrace: Duration?

    static let keys = [
        "socket", "socket_group", "state_dir", "runtime_dir", "catalog", "slots", "queue", "operator_uids", "operator_gids", "grace",
        "max_body", "retention_age", "retention_count", "audit_log", "hooks",
        "min_free_disk", "breaker_threshold", "breaker_cool_down", "self_test_interval", "watchdog_grace",
    ]

    public init() {}

    public init(contentsOf path: String) throws(CatalogError) {
        try self.init(toml: OperatorFile.read(path), file: path)
    }

    public init(toml: String, file: String) throws(CatalogError) {
        let top = try TableReader(TableReader.parse(toml, file: file), file: file, keys: Self.keys)
        socket = try top.string("socket")
        socketGroup = try top.integer("socket_group").map { value throws(CatalogError) in
            guard let gid = UInt32(exactly: value) else { throw top.error("socket_group", "\(value) is not a gid") }
            return gid
        }
        stateDirectory = try top.string("state_dir")
        runtimeDirectory = try top.string("runtime_dir")
        catalog = try top.string("catalog")
        slots = try Self.positive(top, "slots", at: 1...1024)
        queue = try Self.positive(top, "queue", at: 1...1_000_000)
        operatorUIDs = try Self.ids(top, "operator_uids")
        operatorGIDs = try Self.ids(top, "operator_gids")
        grace = try top.duration("grace")
        maxBodyBytes = try top.byteSize("max_body")?.bytes
        retentionAge = try top.duration("retention_age")
        retentionCount = try Self.positive(top, "retention_count", at: 1...100_000_000)
        auditLog = try top.string("audit_log")
        hooks = try top.table("hooks", keys: HookSettings.eventNames + ["timeout", "rate_limit"]).map { table throws(CatalogError) in
            try HookSettings(table)
        }
        minimumFreeDiskBytes = try top.byteSize("min_free_disk")?.bytes
        breakerThreshold = try Self.positive(top, "breaker_threshold", at: 1...1000)
        breakerCoolDown = try top.duration("breaker_cool_down")
        selfTestInterval = try top.duration("self_test_interval")
        watchdogGrace = try top.duration("watchdog_grace")
        for (key, duration) in [("breaker_cool_down", breakerCoolDown), ("watchdog_grace", watchdogGrace)] {
            if let duration, duration <= .zero { throw top.error(key, "must be longer than 0") }
        }
        if let selfTestInterval, selfTestInterval < .zero { throw top.error("self_test_interval", "must not be negative") }
        for (key, path) in [("audit_log", auditLog), ("socket", socket), ("state_dir", stateDirectory), ("runtime_dir", runtimeDirectory), ("catalog", catalog)] {
            if let path, !path.hasPrefix("/") { throw top.error(key, "must be an absolute path, not \(path.debugDescription)") }
        }
    }

    private static func positive(_ top: TableReader, _ key: String, at range: ClosedRange<Int>) throws(CatalogError) -> Int? {
        guard let value = try top.integer(key) else { return nil }
        guard range.contains(value) else { throw top.error(key, "must be between \(range.lowerBound) and \(range.upperBound), not \(value)") }
        return value
    }

    private static func ids(_ top: TableReader, _ key: String) throws(CatalogError) -> [UInt32]? {
        guard let array = try top.integerArray(key) else { return nil }
        var ids: [UInt32] = []
        for value in array {
            guard let id = UInt32(exactly: value) else { throw top.error(key, "\(value) is not a uid or gid") }
            ids.append(id)
        }
        return ids
    }
}
