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

    // Written out rather than left to Codable: every job is written three times and read back at its end, and
    // a list page reads fifty. GRDB's Codable path builds a keyed container and looks each column up through
    // it; here a column is one lookup (half the CPU of a job's three writes went to GRDB's record plumbing).
    // The encoding strategies of `StoredRecord` are the same: dates as REAL seconds since 1970.

    public init(row: Row) throws {
        id = try row.decode(forColumn: "id")
        sequence = try row.decode(forColumn: "sequence")
        owner = try row.decode(forColumn: "owner")
        language = try row.decode(forColumn: "language")
        profile = try row.decode(forColumn: "profile")
        status = try row.decode(forColumn: "status")
        request = try row.decode(forColumn: "request")
        createdAt = Date(timeIntervalSince1970: try row.decode(forColumn: "createdAt"))
        startedAt = (try row.decode(Double?.self, forColumn: "startedAt")).map(Date.init(timeIntervalSince1970:))
        finishedAt = (try row.decode(Double?.self, forColumn: "finishedAt")).map(Date.init(timeIntervalSince1970:))
        message = try row.decode(forColumn: "message")
        compileResult = try row.decode(forColumn: "compileResult")
        result = try row.decode(forColumn: "result")
        kind = try row.decode(forColumn: "kind")
        steps = try row.decode(forColumn: "steps")
    }

    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["sequence"] = sequence
        container["owner"] = owner
        container["language"] = language
        container["profile"] = profile
        container["status"] = status
        container["request"] = request
        container["createdAt"] = createdAt.timeIntervalSince1970
        container["startedAt"] = startedAt?.timeIntervalSince1970
        container["finishedAt"] = finishedAt?.timeIntervalSince1970
        container["message"] = message
        container["compileResult"] = compileResult
        container["result"] = result
        container["kind"] = kind
        container["steps"] = steps
    }

    /// The record as a read of its row returns it: dates go through REAL seconds since 1970, which may move
    /// them by a rounding step.
    var asStored: JobRecord {
        var stored = self
        stored.createdAt = Date(timeIntervalSince1970: createdAt.timeIntervalSince1970)
        stored.startedAt = startedAt.map { Date(timeIntervalSince1970: $0.timeIntervalSince1970) }
        stored.finishedAt = finishedAt.map { Date(timeIntervalSince1970: $0.timeIntervalSince1970) }
        return stored
    }
}
