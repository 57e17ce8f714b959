import Foundation
import GRDB

/// One row of the `job` table: a job from submission to its terminal state. The request and the results are
/// the engine's JSON, kept opaque here.
public struct JobRecord: Sendable, Equatable, Codable, StoredRecord {
    /// Chosen by the engine (e.g. "j_" + 24 hex characters); unique.
    public var id: String
    /// Submission order, set by SQLite on insert (never reused, even after a purge); list cursors use it.
    public var sequence: Int64?
    /// The submitter's uid.
    public var owner: UInt32
    public var language: String
    public var profile: String
    /// A `SandboxStatus` raw value: queued, running, ok, exit_nonzero, ..., lost.
    public var status: String
    /// The job request as the engine encoded it.
    public var request: Data
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// Why the job ended when no result says it ("the daemon stopped while the job ran").
    public var message: String?
    /// The compile step's result (compiled languages only), as the engine encoded it.
    public var compileResult: Data?
    /// The run step's result, capped stdout/stderr included, as the engine encoded it.
    public var result: Data?
    /// "code", or "agent" (steps in one workspace; `language` is "" then).
    public var kind: String
    /// An agent job's steps and their results, as the engine encoded them.
    public var steps: Data?

    public init(
        id: String, owner: UInt32, language: String, profile: String, status: String = "queued", request: Data,
        createdAt: Date, startedAt: Date? = nil, finishedAt: Date? = nil, message: String? = nil,
        compileResult: Data? = nil, result: Data? = nil, sequence: Int64? = nil, kind: String = "code",
        steps: Data? = nil
    ) {
        self.id = id
        self.sequence = sequence
        self.owner = owner
        self.language = language
        self.profile = profile
        self.status = status
        self.request = request
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.message = message
        self.compileResult = compileResult
        self.result = result
        self.kind = kind
        self.steps = steps
    }

    public static let databaseTableName = "job"

    /// The columns, for GRDB's query interface.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let sequence = Column(CodingKeys.sequence)
        public static let owner = Column(CodingKeys.owner)
        public static let language = Column(CodingKeys.language)
        public static let profile = Column(CodingKeys.profile)
        public static let status = Column(CodingKeys.status)
        public static let request = Column(CodingKeys.request)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let startedAt = Column(CodingKeys.startedAt)
        public static let finishedAt = Column(CodingKeys.finishedAt)
        public static let message = Column(CodingKeys.message)
        public static let compileResult = Column(CodingKeys.compileResult)
        public static let result = Column(CodingKeys.result)
    }
}
