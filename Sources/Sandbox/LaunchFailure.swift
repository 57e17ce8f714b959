#if canImport(Glibc)
import Glibc
#endif

/// Why brig could not run the program: the step that failed and its errno, for `internal_error` results.
public struct LaunchFailure: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The step: a launch stage ("mount_op", "execve"), or a parent-side step ("cgroup", "workspace", ...).
    public var stage: String
    /// The errno of the failed call, when there was one.
    public var errno: Int32?
    /// A sentence for people.
    public var message: String

    public init(stage: String, errno: Int32?, message: String) {
        self.stage = stage
        self.errno = errno
        self.message = message
    }

    public init(_ error: SandboxError) {
        self.init(stage: error.stage ?? error.code.rawValue, errno: error.errno, message: error.description)
    }

    public var description: String { "\(stage): \(message)" }

    /// The errno's text ("No such file or directory").
    public static func text(of errno: Int32) -> String {
        String(cString: strerror(errno))
    }
}
