/// Why the server could not start or stopped: a stable code, the socket path or step, and the reason.
public struct ServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// "socket_in_use", "socket_path_occupied", "socket_directory_missing", "socket_check_failed", "socket_mode".
    public var code: String
    public var message: String

    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
