/// The session routes of the API (issue 4), with user-given parts percent-encoded.
extension APITarget {
    package static let sessions = "/v1/sessions"

    package static func session(_ id: String) -> String { "/v1/sessions/\(component(id))" }

    package static func exec(in session: String) -> String { self.session(session) + "/exec" }

    package static func step(_ step: String, in session: String) -> String { self.session(session) + "/steps/\(component(step))" }

    package static func archive(of session: String) -> String { self.session(session) + "/archive" }

    /// `/v1/sessions/{id}/files[/path][?recursive=true][&mode=0755]`: each segment of the path encoded on its own.
    package static func files(in session: String, path: SessionPath = .root, recursive: Bool = false, mode: String? = nil) -> String {
        var target = self.session(session) + "/files"
        if !path.isRoot { target += "/" + path.segments.map(component).joined(separator: "/") }
        var query: [String] = []
        if recursive { query.append("recursive=true") }
        if let mode { query.append("mode=\(component(mode))") }
        return query.isEmpty ? target : target + "?" + query.joined(separator: "&")
    }

    /// `/v1/sessions?state=&limit=&after=`, leaving out what is nil.
    package static func sessions(state: String?, limit: Int?, after: String?) -> String {
        let query: [(String, String?)] = [("state", state), ("limit", limit.map(String.init)), ("after", after)]
        let pairs = query.compactMap { name, value in value.map { "\(name)=\(component($0))" } }
        return pairs.isEmpty ? sessions : sessions + "?" + pairs.joined(separator: "&")
    }
}
