/// A named set of rules over an allow-by-default filter. Profiles choose one by name; it is compiled to BPF
/// once at start-up (`compile()`), never per run.
///
/// System calls of any ABI other than the native one (i386 via `int $0x80`, x32) are always blocked, whatever
/// the rules say: they reach the kernel under other numbers, which the rules do not cover.
public struct SeccompPolicy: Sendable, Equatable {
    public let name: String
    public let rules: [SeccompRule]

    public init(name: String, rules: [SeccompRule]) {
        self.name = name
        self.rules = rules
    }

    /// Every policy brig ships, in the order they are listed to operators.
    public static let all: [SeccompPolicy] = [.default]

    /// The policy called `name`, or nil when there is none (the caller reports the unknown name).
    public static func named(_ name: String) -> SeccompPolicy? {
        all.first { $0.name == name }
    }
}
