import Sandbox

/// What a sandbox's root filesystem is made of and the environment its programs start with
/// (sandbox-images/NAME/image.toml), and the languages it provides (NAME/languages/*.toml).
public struct SandboxImage: Sendable, Equatable {
    public var name: String
    public var description: String
    /// Host paths shown read-only, sorted so that a folder comes before anything inside it.
    public var binds: [ReadOnlyBind]
    public var environment: [String: String]
    /// The usable languages by name.
    public var languages: [String: Language]
    /// One error per language file that could not be used, sorted by file. A broken language leaves the image
    /// and its other languages usable.
    public var languageErrors: [CatalogError]

    public init(
        name: String, description: String = "", binds: [ReadOnlyBind], environment: [String: String] = [:],
        languages: [String: Language] = [:], languageErrors: [CatalogError] = []
    ) {
        self.name = name
        self.description = description
        self.binds = binds
        self.environment = environment
        self.languages = languages
        self.languageErrors = languageErrors
    }

    /// The environment as execve wants it: "NAME=value", sorted by name.
    public var environmentEntries: [String] {
        environment.keys.sorted().map { "\($0)=\(environment[$0] ?? "")" }
    }
}
