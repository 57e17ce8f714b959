import API
import Foundation

extension JobEngine {
    /// Files given in a request (session or agent job), checked: safe relative paths, each once, valid encoding.
    static func decodeFiles(_ given: [JobFile], field: String) throws(APIError) -> [(path: String, bytes: [UInt8])] {
        if given.count > maxFiles { throw APIError("too_many_files", "at most \(maxFiles) files", field: field) }
        var seen = Set<String>()
        var files: [(path: String, bytes: [UInt8])] = []
        for (index, file) in given.enumerated() {
            let name = "\(field)[\(index)]"
            if let problem = WorkspacePath.problem(file.path) {
                throw APIError("invalid_path", "\(file.path.debugDescription): \(problem)", field: "\(name).path")
            }
            if !seen.insert(file.path).inserted {
                throw APIError("invalid_path", "\(file.path.debugDescription) is given twice", field: "\(name).path")
            }
            switch file.encoding ?? "utf8" {
            case "utf8":
                files.append((file.path, Array(file.content.utf8)))
            case "base64":
                guard let data = Data(base64Encoded: file.content) else {
                    throw APIError("invalid_encoding", "the content is not valid base64", field: "\(name).content")
                }
                files.append((file.path, Array(data)))
            default:
                throw APIError("invalid_encoding", "encoding must be \"utf8\" or \"base64\"", field: "\(name).encoding")
            }
        }
        return files
    }
}
