/// One entry of a workspace listing. Symlinks are described, never followed.
public struct WorkspaceEntry: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case file, directory, symlink
        /// A FIFO or socket sandboxed code made: listed, never opened.
        case other
    }

    /// Relative to the workspace root.
    public var path: String
    public var kind: Kind
    public var size: UInt64
    /// Permission bits (0o644).
    public var mode: UInt32
    /// Seconds since 1970.
    public var modified: Double
    /// A symlink's text.
    public var target: String?

    public init(path: String, kind: Kind, size: UInt64, mode: UInt32, modified: Double, target: String? = nil) {
        self.path = path
        self.kind = kind
        self.size = size
        self.mode = mode
        self.modified = modified
        self.target = target
    }
}

/// What a path in a workspace holds: a regular file's bytes or a directory's entries.
public enum WorkspaceItem: Sendable, Equatable {
    case file([UInt8])
    case directory([WorkspaceEntry])
}
