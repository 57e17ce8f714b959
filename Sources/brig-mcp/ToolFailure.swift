import API
import DaemonClient
import Foundation
import MCP

/// Why an MCP tool call could not do its work: bad input, no daemon, or the daemon's refusal. It is answered
/// as a tool result with `isError: true` (so the model reads it and can correct itself), never as a
/// protocol error.
struct ToolFailure: Error, Sendable {
    /// Stable, for machines: the daemon's code ("not_found", "invalid_path", ...), "invalid_argument" for
    /// bad input, "daemon_unavailable" when no daemon answers.
    let code: String
    let message: String
    /// The tool argument (or the daemon's request field) at fault.
    let field: String?
    /// The daemon's HTTP status, when it answered.
    let httpStatus: Int?

    init(code: String, message: String, field: String? = nil, httpStatus: Int? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.httpStatus = httpStatus
    }

    /// Bad input, naming the argument and the reason.
    static func argument(_ name: String, _ reason: String) -> ToolFailure {
        ToolFailure(code: "invalid_argument", message: "argument `\(name)`: \(reason)", field: name)
    }

    /// The client could not talk to the daemon (not running, no permission, an answer that makes no sense).
    static func client(_ error: ClientError) -> ToolFailure {
        let code: String
        switch error.exitCode {
        case .unavailable: code = "daemon_unavailable"
        case .notPermitted: code = "permission_denied"
        case .protocolError: code = "protocol_error"
        case .temporaryFailure: code = "busy"
        case .notFound: code = "not_found"
        case .usage: code = "invalid_request"
        }
        return ToolFailure(code: code, message: error.message)
    }

    /// An error answer: the daemon's `{"error": {"code", "message", "field"}}`, or its status when it sent none.
    static func answer(_ response: DaemonClient.HTTPResponse) -> ToolFailure {
        if let decoded = try? ClientJSON.decoder.decode(APIErrorBody.self, from: Data(response.body)) {
            var message = decoded.error.message
            if let retry = response.head.header("retry-after") { message += "; try again in \(retry)s" }
            return ToolFailure(code: decoded.error.code, message: message, field: decoded.error.field, httpStatus: response.status)
        }
        let text = String(decoding: response.body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return ToolFailure(
            code: "http_\(response.status)", message: "the daemon answered HTTP \(response.status)" + (text.isEmpty ? "" : ": \(text)"),
            httpStatus: response.status)
    }

    /// The JSON the tool answers with.
    var value: Value {
        var error: [String: Value] = ["code": .string(code), "message": .string(message)]
        if let field { error["field"] = .string(field) }
        if let httpStatus { error["http_status"] = .int(httpStatus) }
        return ["status": "error", "error": .object(error)]
    }
}
