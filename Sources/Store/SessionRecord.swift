import Foundation
import GRDB

/// One row of the `session` table: a session from creation to its end. The request and the caps are the
/// engine's JSON, kept opaque here.
public struct SessionRecord: Sendable, Equatable, Codable, StoredRecord {
    /// Chosen by the engine ("s_" + 24 hex characters); unique.
    public var id: String
    public var sequence: Int64?
    /// The creator's uid.
    public var owner: UInt32
    public var image: String
    public var profile: String
    /// "active", "ended" or "expired".
    public var state: String
    public var request: Data
    /// The session identity slot (host uid 61000 + slot), leased again after a restart.
    public var slot: Int
    /// Where its workspace is mounted on the host.
    public var workspace: String
    public var createdAt: Date
    public var lastUsedAt: Date
    /// The end of its maximum lifetime.
    public var expiresAt: Date
    /// Idle time after which it expires, in seconds.
    public var idleSeconds: Double
    public var endedAt: Date?
    public var endReason: String?
    /// Steps started so far (each counts against the session's step cap).
    public var stepCount: Int
    /// CPU time its finished steps used, in milliseconds.
    public var cpuTimeMs: Int64
    /// The session's caps as the engine encoded them.
    public var caps: Data

    public init(
        id: String, owner: UInt32, image: String, profile: String, state: String = "active", request: Data, slot: Int,
        workspace: String, createdAt: Date, lastUsedAt: Date, expiresAt: Date, idleSeconds: Double,
        endedAt: Date? = nil, endReason: String? = nil, stepCount: Int = 0, cpuTimeMs: Int64 = 0, caps: Data,
        sequence: Int64? = nil
    ) {
        self.id = id
        self.sequence = sequence
        self.owner = owner
        self.image = image
        self.profile = profile
        self.state = state
        self.request = request
        self.slot = slot
        self.workspace = workspace
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.expiresAt = expiresAt
        self.idleSeconds = idleSeconds
        self.endedAt = endedAt
        self.endReason = endReason
        self.stepCount = stepCount
        self.cpuTimeMs = cpuTimeMs
        self.caps = caps
    }

    public static let databaseTableName = "session"

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let sequence = Column(CodingKeys.sequence)
        public static let owner = Column(CodingKeys.owner)
        public static let state = Column(CodingKeys.state)
    }
}
