import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// A session as the API shows it.
public struct SessionView: Sendable, Codable, Equatable {
    public var id: String
    public var state: SessionState
    public var image: String
    public var profile: String
    /// The creator's uid.
    public var owner: UInt32
    public var createdAt: Date
    public var lastUsedAt: Date
    /// The end of its maximum lifetime.
    public var expiresAt: Date
    /// When it expires if nothing uses it before.
    public var idleExpiresAt: Date
    public var endedAt: Date?
    /// Why it ended: "deleted", "idle for 10m", "lifetime 1h reached", ...
    public var endReason: String?
    public var usage: SessionUsage
    public var caps: SessionCaps
    /// Its steps still running (background or foreground).
    public var running: [StepView]

    public init(
        id: String, state: SessionState, image: String, profile: String, owner: UInt32, createdAt: Date,
        lastUsedAt: Date, expiresAt: Date, idleExpiresAt: Date, endedAt: Date? = nil, endReason: String? = nil,
        usage: SessionUsage, caps: SessionCaps, running: [StepView] = []
    ) {
        self.id = id
        self.state = state
        self.image = image
        self.profile = profile
        self.owner = owner
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.expiresAt = expiresAt
        self.idleExpiresAt = idleExpiresAt
        self.endedAt = endedAt
        self.endReason = endReason
        self.usage = usage
        self.caps = caps
        self.running = running
    }

    enum CodingKeys: String, CodingKey {
        case id, state, image, profile, owner, usage, caps, running
        case createdAt = "created_at", lastUsedAt = "last_used_at", expiresAt = "expires_at"
        case idleExpiresAt = "idle_expires_at", endedAt = "ended_at", endReason = "end_reason"
    }
}

/// What a session has used of its caps.
public struct SessionUsage: Sendable, Codable, Equatable {
    public var steps: Int
    public var cpuTimeMs: Int64
    public var workspaceBytes: UInt64

    public init(steps: Int, cpuTimeMs: Int64, workspaceBytes: UInt64) {
        self.steps = steps
        self.cpuTimeMs = cpuTimeMs
        self.workspaceBytes = workspaceBytes
    }

    enum CodingKeys: String, CodingKey {
        case steps
        case cpuTimeMs = "cpu_time_ms", workspaceBytes = "workspace_bytes"
    }
}

/// A session's limits across all its steps.
public struct SessionCaps: Sendable, Codable, Equatable {
    public var maxSteps: Int
    /// Total CPU time of all steps ("10m").
    public var cpuTime: String
    /// The workspace's size ("256MiB").
    public var workspace: String

    public init(maxSteps: Int, cpuTime: String, workspace: String) {
        self.maxSteps = maxSteps
        self.cpuTime = cpuTime
        self.workspace = workspace
    }

    enum CodingKeys: String, CodingKey {
        case cpuTime = "cpu_time", workspace
        case maxSteps = "max_steps"
    }
}

/// `GET /v1/sessions?state=&limit=&after=`: newest first.
public struct SessionQuery: Sendable, Equatable {
    public var state: SessionState?
    public var limit: Int
    public var after: String?

    public init(state: SessionState? = nil, limit: Int = 50, after: String? = nil) {
        self.state = state
        self.limit = limit
        self.after = after
    }
}

public struct SessionPage: Sendable, Codable, Equatable {
    public var sessions: [SessionView]
    public var next: String?

    public init(sessions: [SessionView], next: String?) {
        self.sessions = sessions
        self.next = next
    }
}
