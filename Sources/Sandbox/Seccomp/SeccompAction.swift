/// What the filter does with a system call that a rule matches. Anything no rule matches is allowed.
public enum SeccompAction: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The call waits while the parent is notified (`SCMP_ACT_NOTIFY`); the parent kills the whole sandbox
    /// and reports status `seccomp` with the call's name. For what only an escape attempt would call.
    case report
    /// The call fails with this errno (`SCMP_ACT_ERRNO`) and the program goes on. For what runtimes probe
    /// and can do without.
    case fail(Int32)

    public var description: String {
        switch self {
        case .report: "report"
        case .fail(let errno): "fail(errno \(errno))"
        }
    }
}
