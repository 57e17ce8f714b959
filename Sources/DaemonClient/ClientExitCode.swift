/// The exit status of a client command that failed before a job's own status could decide it
/// (`brig exec` otherwise exits like `brig run`, see RunExitCode). Values from sysexits.h.
package enum ClientExitCode: Int32, Sendable {
    /// The daemon has no such job (404).
    case notFound = 1
    /// A bad argument, or a request the daemon refused as invalid (4xx).
    case usage = 64
    /// No daemon on the socket, or the socket cannot be reached.
    case unavailable = 69
    /// The daemon is busy: queue full (429) or draining (503). Trying later may work.
    case temporaryFailure = 75
    /// The daemon's answer was not HTTP/JSON as the API says, or a 5xx.
    case protocolError = 76
    /// No permission on the socket, or the daemon refused (403).
    case notPermitted = 77

    package static func of(httpStatus: Int) -> ClientExitCode {
        switch httpStatus {
        case 404: return .notFound
        case 401, 403: return .notPermitted
        case 429, 503: return .temporaryFailure
        case 400..<500: return .usage
        default: return .protocolError
        }
    }
}
