/// One rule of a policy: a system call by name, the conditions on its arguments (all must hold; none means
/// every call), and the action taken when they do.
public struct SeccompRule: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The call's name as libseccomp knows it ("ptrace"); a name unknown on this architecture is skipped.
    public let syscall: String
    public let action: SeccompAction
    public let conditions: [SeccompCondition]

    public init(_ syscall: String, _ action: SeccompAction, when conditions: [SeccompCondition] = []) {
        self.syscall = syscall
        self.action = action
        self.conditions = conditions
    }

    public var description: String {
        let when = conditions.isEmpty ? "" : " if " + conditions.map(\.description).joined(separator: " and ")
        return "\(syscall)\(when) -> \(action)"
    }
}
