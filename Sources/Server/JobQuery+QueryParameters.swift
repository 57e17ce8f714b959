import API
import Engine
import Hummingbird
import Sandbox

extension JobQuery {
    static let parameterNames: Set<Substring> = ["status", "language", "limit", "after"]

    /// `?status=&language=&limit=&after=`, each checked: an unknown parameter, status or a limit outside
    /// 1...500 is a 400 naming it. Empty values count as absent (`?status=` is what many forms send).
    init(parameters: Parameters) throws(APIError) {
        self.init()
        var seen = Set<Substring>()
        for (name, _) in parameters {
            guard Self.parameterNames.contains(name) else {
                throw APIError(
                    "invalid_request", "unknown query parameter \"\(name)\"; expected status, language, limit or after",
                    field: String(name))
            }
            guard seen.insert(name).inserted else {
                throw APIError("invalid_request", "query parameter \"\(name)\" is given more than once", field: String(name))
            }
        }
        if let text = parameters["status"], !text.isEmpty {
            guard let status = SandboxStatus(rawValue: String(text)) else {
                let known = SandboxStatus.allCases.map(\.rawValue).joined(separator: ", ")
                throw APIError("invalid_request", "unknown status \"\(text)\"; expected one of: \(known)", field: "status")
            }
            self.status = status
        }
        if let text = parameters["language"], !text.isEmpty {
            language = String(text)
        }
        if let text = parameters["limit"], !text.isEmpty {
            guard let limit = Int(text), (1...500).contains(limit) else {
                throw APIError("invalid_request", "limit must be an integer from 1 to 500, not \"\(text)\"", field: "limit")
            }
            self.limit = limit
        }
        if let text = parameters["after"], !text.isEmpty {
            after = String(text)
        }
    }
}
