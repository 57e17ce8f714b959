import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// One entry of a session's workspace listing (FileEntry in the session contract).
struct DaemonFileEntry: Decodable, Sendable {
    /// Relative to /work.
    let path: String
    /// "file", "directory" or "symlink".
    let type: String
    let size: UInt64?
    /// Octal text, "0644".
    let mode: String?
    let modifiedAt: Date?
    /// A symlink's text (never followed).
    let target: String?

    enum CodingKeys: String, CodingKey {
        case path, type, size, mode, target, modifiedAt = "modified_at"
    }
}

/// `GET /v1/sessions/{id}/files[/path]` on a directory.
struct DaemonFileListing: Decodable, Sendable {
    let path: String?
    let entries: [DaemonFileEntry]
}
