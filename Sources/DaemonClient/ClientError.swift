import API
import Catalog
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Why a client command could not do what it was asked, as one line for people and an exit status for scripts.
package struct ClientError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, without the "brig: " prefix.
    package let message: String
    package let exitCode: ClientExitCode
    /// The daemon's HTTP status when it answered with an error; nil when no answer came (or made no sense).
    package var httpStatus: Int?

    package init(_ message: String, exitCode: ClientExitCode, httpStatus: Int? = nil) {
        self.message = message
        self.exitCode = exitCode
        self.httpStatus = httpStatus
    }

    package var description: String { message }

    package static func daemonNotRunning(socket: String) -> ClientError {
        ClientError("the daemon is not running (no socket at \(socket)); start it with `brig serve`", exitCode: .unavailable)
    }

    /// The failed socket call, with what its errno says it means for the user.
    package static func connecting(to socket: String, step: String, errno code: Int32) -> ClientError {
        switch code {
        case ENOENT, ECONNREFUSED:
            return .daemonNotRunning(socket: socket)
        case EACCES, EPERM:
            return ClientError(
                "permission denied on \(socket) (the socket is 0660: run as root or a member of its group)",
                exitCode: .notPermitted)
        default:
            return ClientError("\(step) \(socket): \(String(cString: strerror(code)))", exitCode: .unavailable)
        }
    }

    package static func protocolViolation(_ what: String) -> ClientError {
        ClientError("the daemon's answer makes no sense: \(what)", exitCode: .protocolError)
    }

    package static func usage(_ message: String) -> ClientError {
        ClientError(message, exitCode: .usage)
    }

    /// An error answer: `{"error": {"code", "message", "field"}}` when the daemon sent one, else its status.
    package static func answer(status: Int, body: [UInt8], retryAfter: String?) -> ClientError {
        let exitCode = ClientExitCode.of(httpStatus: status)
        guard let decoded = try? ClientJSON.decoder.decode(APIErrorBody.self, from: Data(body)) else {
            let text = String(String(decoding: body.prefix(300), as: UTF8.self).trimmingWhitespace)
            return ClientError("the daemon answered HTTP \(status)" + (text.isEmpty ? "" : ": \(text)"), exitCode: exitCode, httpStatus: status)
        }
        var message = decoded.error.message
        if let field = decoded.error.field, !field.isEmpty { message += " (field: \(field))" }
        if let retryAfter, status == 429 || status == 503 { message += "; try again in \(retryAfter)s" }
        return ClientError(message, exitCode: exitCode, httpStatus: status)
    }
}
