import API
import Engine
import Foundation

/// One line of the audit log: an admin action (who asked, what, how it ended) or a hook run (which hook, for
/// which event, how it ended). Secrets are redacted before the entry is made (see `AuditRedaction`).
public struct AuditEntry: Sendable, Codable, Equatable {
    /// "admin" or "hook".
    public var type: String
    public var at: Date
    /// The admin action ("drain", "emergency_stop", "reload", ...) or the hook's executable.
    public var action: String
    /// For hook runs: the event that triggered it.
    public var event: String?
    /// Who asked (admin actions); nil for hook runs.
    public var uid: UInt32?
    public var gid: UInt32?
    public var pid: Int32?
    /// "ok", "refused", "failed" (admin); "exited", "killed", "dropped", "failed" (hooks).
    public var result: String
    /// For people: what happened.
    public var message: String
    public var detail: [String: String]

    public init(
        type: String, at: Date = Date(), action: String, event: String? = nil, peer: Peer? = nil, result: String,
        message: String, detail: [String: String] = [:]
    ) {
        self.type = type
        self.at = at
        self.action = action
        self.event = event
        uid = peer?.uid
        gid = peer?.gid
        pid = peer?.pid
        self.result = result
        self.message = AuditRedaction.redact(message: message)
        self.detail = AuditRedaction.redact(detail)
    }
}
