/// A path inside a session's workspace, relative to /work as the API wants it. People and agents write
/// "/work/src/main.c" as often as "src/main.c"; both mean the same file. Anything that would leave /work is
/// refused here, before the daemon (which refuses it too) sees it.
package struct SessionPath: Sendable, Equatable, CustomStringConvertible {
    /// The non-empty components, without "." ones.
    package let segments: [String]

    package static let root = SessionPath(segments: [])

    package var isRoot: Bool { segments.isEmpty }

    /// "src/main.c"; "." for /work itself.
    package var relative: String { isRoot ? "." : segments.joined(separator: "/") }

    package var description: String { "/work" + (isRoot ? "" : "/" + relative) }

    /// The last component (nil for /work itself).
    package var name: String? { segments.last }

    package init(segments: [String]) {
        self.segments = segments
    }

    /// Why a path was refused, for an error that names the argument.
    package struct Refusal: Error, Sendable {
        package let reason: String
    }

    /// Parses "src/main.c", "./src", "/work/src/main.c" or "/work"; "" is /work.
    package init(parsing text: String) throws(Refusal) {
        if text.utf8.contains(0) { throw Refusal(reason: "contains a NUL byte") }
        var rest = Substring(text)
        if rest.hasPrefix("/") {
            guard rest == "/work" || rest.hasPrefix("/work/") else {
                throw Refusal(reason: "\(text.debugDescription) is outside the workspace: give a path relative to /work, or one starting with /work/")
            }
            rest = rest.dropFirst("/work".count)
        }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        if parts.contains("..") { throw Refusal(reason: "\(text.debugDescription) contains \"..\", which could leave the workspace") }
        segments = parts.map(String.init)
    }

    /// This path with one more component.
    package func appending(_ name: String) -> SessionPath {
        SessionPath(segments: segments + [name])
    }
}
