/// A host path shown read-only (nosuid, nodev) inside the sandbox.
public struct ReadOnlyBind: Sendable, Equatable, Codable {
    /// The path on the host.
    public var source: String
    /// Where the sandbox sees it (an absolute path; usually the same as `source`).
    public var target: String
    /// A missing optional source is skipped; a missing required one is an error.
    public var optional: Bool

    public init(source: String, target: String? = nil, optional: Bool = false) {
        self.source = source
        self.target = target ?? source
        self.optional = optional
    }
}
