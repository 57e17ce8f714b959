import Foundation
import GRDB

/// One row of the `jobEvent` table: a state change or an output chunk of a job, in the order it happened.
/// Deleted with its job.
public struct JobEventRecord: Sendable, Equatable, Codable, StoredRecord {
    public var jobID: String
    /// Set by SQLite on insert; orders a job's events.
    public var sequence: Int64?
    /// "state", "stdout", "stderr", "end", ... (the engine's vocabulary).
    public var kind: String
    /// A JSON object, already encoded by the engine.
    public var data: String
    public var createdAt: Date

    public init(jobID: String, kind: String, data: String, createdAt: Date, sequence: Int64? = nil) {
        self.jobID = jobID
        self.sequence = sequence
        self.kind = kind
        self.data = data
        self.createdAt = createdAt
    }

    public static let databaseTableName = "jobEvent"

    /// The columns, for GRDB's query interface.
    public enum Columns {
        public static let jobID = Column(CodingKeys.jobID)
        public static let sequence = Column(CodingKeys.sequence)
        public static let kind = Column(CodingKeys.kind)
        public static let data = Column(CodingKeys.data)
        public static let createdAt = Column(CodingKeys.createdAt)
    }
}
