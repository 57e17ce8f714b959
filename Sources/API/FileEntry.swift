import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// One file, directory or symlink of a session's workspace.
public struct FileEntry: Sendable, Codable, Equatable {
    /// Relative to /work.
    public var path: String
    /// "file", "directory", "symlink" or "other" (a FIFO or socket).
    public var type: String
    public var size: UInt64
    /// Octal permission bits, "0644".
    public var mode: String
    public var modifiedAt: Date
    /// A symlink's text (never followed).
    public var target: String?

    public init(path: String, type: String, size: UInt64, mode: String, modifiedAt: Date, target: String? = nil) {
        self.path = path
        self.type = type
        self.size = size
        self.mode = mode
        self.modifiedAt = modifiedAt
        self.target = target
    }

    enum CodingKeys: String, CodingKey {
        case path, type, size, mode, target
        case modifiedAt = "modified_at"
    }
}

/// A directory's listing.
public struct FileListing: Sendable, Codable, Equatable {
    public var path: String
    public var entries: [FileEntry]

    public init(path: String, entries: [FileEntry]) {
        self.path = path
        self.entries = entries
    }
}

/// What `GET /v1/sessions/{id}/files/{path}` found: a file's bytes or a directory's listing.
public enum SessionFile: Sendable, Equatable {
    case file([UInt8])
    case directory(FileListing)
}

/// `PUT /v1/sessions/{id}/archive`: what the archive put into /work.
public struct ArchiveReport: Sendable, Codable, Equatable {
    public var files: Int
    public var bytes: UInt64

    public init(files: Int, bytes: UInt64) {
        self.files = files
        self.bytes = bytes
    }
}
