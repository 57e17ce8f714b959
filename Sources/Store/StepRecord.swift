import Foundation
import GRDB

/// One row of the `sessionStep` table: one exec in a session, from its start to its end.
public struct StepRecord: Sendable, Equatable, Codable, StoredRecord {
    /// Chosen by the engine ("st_" + 24 hex characters); unique.
    public var id: String
    public var sequence: Int64?
    public var sessionID: String
    /// 1-based, in the order the session's steps were started.
    public var number: Int
    /// The argv as run, as JSON.
    public var command: Data
    public var background: Bool
    /// A `SandboxStatus` raw value.
    public var status: String
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    public var message: String?
    /// The run's result, as the engine encoded it.
    public var result: Data?

    public init(
        id: String, sessionID: String, number: Int = 0, command: Data, background: Bool, status: String = "queued",
        createdAt: Date, startedAt: Date? = nil, finishedAt: Date? = nil, message: String? = nil, result: Data? = nil,
        sequence: Int64? = nil
    ) {
        self.id = id
        self.sequence = sequence
        self.sessionID = sessionID
        self.number = number
        self.command = command
        self.background = background
        self.status = status
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.message = message
        self.result = result
    }

    public static let databaseTableName = "sessionStep"

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let sessionID = Column(CodingKeys.sessionID)
        public static let number = Column(CodingKeys.number)
        public static let status = Column(CodingKeys.status)
    }
}
