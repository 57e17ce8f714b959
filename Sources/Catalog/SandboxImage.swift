import Sandbox

/// What a sandbox's root filesystem is made of and the environment its programs start with
/// (sandbox-images/NAME/image.toml).
public struct SandboxImage: Sendable, Equatable {
    public var name: String
    public var description: String
    /// Host paths shown read-only, sorted so that a folder comes before anything inside it.
    public var binds: [ReadOnlyBind]
    public var environment: [String: String]

    public init(name: String, description: String = "", binds: [ReadOnlyBind], environment: [String: String] = [:]) {
        self.name = name
        self.description = description
        self.binds = binds
        self.environment = environment
    }

    /// The environment as execve wants it: "NAME=value", sorted by name.
    public var environmentEntries: [String] {
        environment.keys.sorted().map { "\($0)=\(environment[$0] ?? "")" }
    }
}
