import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// A session as the daemon shows it (the SessionView of the session contract), decoded by the client. Only
/// what the client prints is decoded; `--json` and the MCP tools pass the daemon's own JSON through.
struct DaemonSession: Decodable, Sendable {
    let id: String
    /// "active", "ended" or "expired".
    let state: String
    let image: String?
    let profile: String?
    let createdAt: Date?
    let lastUsedAt: Date?
    let expiresAt: Date?
    let idleExpiresAt: Date?
    let endedAt: Date?
    let endReason: String?
    let usage: Usage?
    let running: [DaemonStep]?

    struct Usage: Decodable, Sendable {
        let steps: Int?
        let cpuTimeMs: Double?
        let workspaceBytes: UInt64?

        enum CodingKeys: String, CodingKey {
            case steps, cpuTimeMs = "cpu_time_ms", workspaceBytes = "workspace_bytes"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, state, image, profile, usage, running
        case createdAt = "created_at", lastUsedAt = "last_used_at", expiresAt = "expires_at"
        case idleExpiresAt = "idle_expires_at", endedAt = "ended_at", endReason = "end_reason"
    }
}
