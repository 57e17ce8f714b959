/// What network a sandbox sees.
public enum NetworkMode: String, Sendable, Equatable, CaseIterable {
    /// A private network namespace with loopback only: no way out of the host.
    case none
}
