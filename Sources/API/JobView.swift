import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Sandbox

/// A job as the API shows it. `result` is the run step's result, `compile` the compile step's (compiled
/// languages only); `status` is the job's place in the taxonomy (`compile_error` when the compile failed).
public struct JobView: Sendable, Codable, Equatable {
    public var id: String
    public var status: SandboxStatus
    /// Code jobs' language; nil for agent jobs.
    public var language: String?
    public var profile: String
    /// The submitter's uid.
    public var owner: UInt32
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// Why the job ended when no sandbox result says it (`lost`, `cancelled` while queued, ...).
    public var message: String?
    public var compile: SandboxResult?
    public var result: SandboxResult?
    /// "code" or "agent".
    public var kind: String
    /// Agent jobs: each step and how it went.
    public var steps: [AgentStepView]?

    public init(
        id: String, status: SandboxStatus, language: String?, profile: String, owner: UInt32, createdAt: Date,
        startedAt: Date? = nil, finishedAt: Date? = nil, message: String? = nil, compile: SandboxResult? = nil,
        result: SandboxResult? = nil, kind: String = "code", steps: [AgentStepView]? = nil
    ) {
        self.id = id
        self.status = status
        self.language = language
        self.profile = profile
        self.owner = owner
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.message = message
        self.compile = compile
        self.result = result
        self.kind = kind
        self.steps = steps
    }

    /// `kind` is absent in the answers of daemons from before agent jobs: those are code jobs.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        status = try container.decode(SandboxStatus.self, forKey: .status)
        language = try container.decodeIfPresent(String.self, forKey: .language)
        profile = try container.decode(String.self, forKey: .profile)
        owner = try container.decode(UInt32.self, forKey: .owner)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        startedAt = try container.decodeIfPresent(Date.self, forKey: .startedAt)
        finishedAt = try container.decodeIfPresent(Date.self, forKey: .finishedAt)
        message = try container.decodeIfPresent(String.self, forKey: .message)
        compile = try container.decodeIfPresent(SandboxResult.self, forKey: .compile)
        result = try container.decodeIfPresent(SandboxResult.self, forKey: .result)
        kind = try container.decodeIfPresent(String.self, forKey: .kind) ?? "code"
        steps = try container.decodeIfPresent([AgentStepView].self, forKey: .steps)
    }

    enum CodingKeys: String, CodingKey {
        case id, status, language, profile, owner, message, compile, result, kind, steps
        case createdAt = "created_at", startedAt = "started_at", finishedAt = "finished_at"
    }
}

/// `GET /v1/jobs?status=&language=&limit=&after=`: newest first; `after` is the `next` cursor of the page before.
public struct JobQuery: Sendable, Equatable {
    public var status: SandboxStatus?
    public var language: String?
    /// 1...500, default 50.
    public var limit: Int
    public var after: String?

    public init(status: SandboxStatus? = nil, language: String? = nil, limit: Int = 50, after: String? = nil) {
        self.status = status
        self.language = language
        self.limit = limit
        self.after = after
    }
}

public struct JobPage: Sendable, Codable, Equatable {
    public var jobs: [JobView]
    /// Pass as `after` for the next page; nil on the last page.
    public var next: String?

    public init(jobs: [JobView], next: String?) {
        self.jobs = jobs
        self.next = next
    }
}
