import Sandbox

/// A named set of limits an operator offers (profiles/NAME.toml): what a job gets by default and the most it
/// may ask for.
public struct Profile: Sendable, Equatable {
    public var name: String
    public var description: String
    /// What a job gets when it asks for nothing.
    public var limits: SandboxLimits
    /// The most a job may ask for, key by key; never below `limits`.
    public var maxima: SandboxLimits
    /// What a compiled language's compile step gets ([compile]; a key left out is the `limits` value). The
    /// compile and the run share one workspace, so `workspaceBytes` is always the one of `limits`.
    public var compileLimits: SandboxLimits
    public var network: NetworkMode
    /// The name of the seccomp policy; the layer that owns policies checks that it exists.
    public var seccomp: String
    /// How many jobs with this profile the daemon runs at once.
    public var concurrency: Int

    public static let defaultSeccomp = "default"
    public static let defaultConcurrency = 2
    static let concurrencyRange = 1...1024

    public init(
        name: String,
        description: String = "",
        limits: SandboxLimits = SandboxLimits(),
        maxima: SandboxLimits? = nil,
        compileLimits: SandboxLimits? = nil,
        network: NetworkMode = .none,
        seccomp: String = Profile.defaultSeccomp,
        concurrency: Int = Profile.defaultConcurrency
    ) {
        self.name = name
        self.description = description
        self.limits = limits
        self.maxima = maxima ?? limits
        self.compileLimits = compileLimits ?? limits
        self.network = network
        self.seccomp = seccomp
        self.concurrency = concurrency
    }
}
