import API
/// The rules for a client-given path inside a workspace: relative, no "." or ".." component, no empty
/// component, no NUL, not too long. (The workspace also resolves it beneath itself with no symlinks.)
enum WorkspacePath {
    static let maxLength = 1024

    /// Why `path` is refused, or nil.
    static func problem(_ path: String) -> String? {
        if path.isEmpty { return "the path is empty" }
        if path.utf8.contains(0) { return "the path contains a NUL byte" }
        if path.hasPrefix("/") { return "the path must be relative to the workspace, not absolute" }
        if path.utf8.count > maxLength { return "the path is longer than \(maxLength) bytes" }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        if components.contains("..") { return "the path may not contain \"..\"" }
        if components.contains(where: { $0.isEmpty || $0 == "." }) { return "the path has an empty or \".\" component" }
        return nil
    }
}
