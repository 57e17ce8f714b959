import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Sandbox

/// One step of a session as the API shows it.
public struct StepView: Sendable, Codable, Equatable {
    public var id: String
    public var session: String
    /// 1-based.
    public var index: Int
    /// The argv as run.
    public var cmd: [String]
    public var background: Bool
    public var status: SandboxStatus
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    public var message: String?
    /// Set once the step is terminal (not for `lost`).
    public var result: SandboxResult?

    public init(
        id: String, session: String, index: Int, cmd: [String], background: Bool, status: SandboxStatus,
        createdAt: Date, startedAt: Date? = nil, finishedAt: Date? = nil, message: String? = nil,
        result: SandboxResult? = nil
    ) {
        self.id = id
        self.session = session
        self.index = index
        self.cmd = cmd
        self.background = background
        self.status = status
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.message = message
        self.result = result
    }

    enum CodingKeys: String, CodingKey {
        case id, session, index, cmd, background, status, message, result
        case createdAt = "created_at", startedAt = "started_at", finishedAt = "finished_at"
    }
}

/// `GET /v1/sessions/{id}/steps`.
public struct StepList: Sendable, Codable, Equatable {
    public var steps: [StepView]

    public init(steps: [StepView]) {
        self.steps = steps
    }
}
