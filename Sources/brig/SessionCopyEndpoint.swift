import DaemonClient

/// One side of `brig session cp`: a local path, or `ID:path` in a session's workspace.
enum SessionCopyEndpoint: Equatable {
    case local(String)
    /// `text` is the path as given, for messages; a trailing "/" means "into this folder".
    case session(id: String, path: SessionPath, text: String)

    /// `ID:path` when there is a ":" with no "/" before it (a session id has none); anything else is local
    /// (write ./a:b for a local name with a colon).
    init(parsing argument: String, as what: String) throws(ClientError) {
        guard let colon = argument.firstIndex(of: ":"), !argument[..<colon].contains("/" as Character) else {
            self = .local(argument)
            return
        }
        let id = String(argument[..<colon])
        let text = String(argument[argument.index(after: colon)...])
        guard !id.isEmpty else { throw .usage("\(what) \(argument.debugDescription): give the session id before the colon") }
        do {
            self = .session(id: id, path: try SessionPath(parsing: text), text: text)
        } catch {
            throw .usage("\(what) \(argument.debugDescription): \(error.reason)")
        }
    }
}
