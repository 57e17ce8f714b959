#if canImport(Glibc)
import Glibc
#endif

/// A failure of the sandbox machinery itself (never of the sandboxed program): a stable `code` for
/// machines, a message for people, and where a system call failed, its stage and errno.
public struct SandboxError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable {
        /// A limit cannot be enforced on this host (controller missing, swap not accountable, ...).
        case cgroupUnavailable = "cgroup_unavailable"
        /// Creating, limiting, joining, reading or removing a cgroup failed.
        case cgroupFailed = "cgroup_failed"
        /// The seccomp policy could not be compiled.
        case seccompFailed = "seccomp_failed"
        /// The spec asks for something that cannot be run (empty command, zero limits, bad paths).
        case invalidSpec = "invalid_spec"
        /// The per-run workspace could not be created, filled or removed.
        case workspaceFailed = "workspace_failed"
        /// Cloning or preparing the sandbox failed before the program ran.
        case launchFailed = "launch_failed"
        /// brig needs privileges it does not have (root, user namespaces).
        case notPermitted = "not_permitted"
    }

    public let code: Code
    public let message: String
    /// The step that failed ("mount_op", "cgroup.memory.limit_in_bytes", ...), when one did.
    public let stage: String?
    /// The errno of the failed system call, when there was one.
    public let errno: Int32?

    public init(_ code: Code, _ message: String, stage: String? = nil, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.stage = stage
        self.errno = errno
    }

    /// A failed system call: the message names the stage and the errno's text.
    public static func system(_ code: Code, stage: String, errno: Int32, _ message: String) -> SandboxError {
        SandboxError(code, message, stage: stage, errno: errno)
    }

    public var description: String {
        guard let errno else { return message }
        return "\(message): \(String(cString: strerror(errno)))"
    }
}
