/// What a sandbox fixes when it is set up, before it knows what it will run: the image's binds, the limits
/// enforced by its cgroup, mounts and rlimits, and its hostname. A warm sandbox prepared for one shape runs
/// any spec of that shape; the limits its parent enforces while supervising (wall and CPU time, output
/// caps) come from the spec and do not count.
public struct SandboxShape: Sendable, Equatable {
    public var binds: [ReadOnlyBind]
    public var limits: SandboxLimits
    public var hostname: String

    public init(binds: [ReadOnlyBind], limits: SandboxLimits, hostname: String = "brig") {
        self.binds = binds
        self.limits = Self.setUpPart(of: limits)
        self.hostname = hostname
    }

    public init(_ spec: SandboxSpec) {
        self.init(binds: spec.binds, limits: spec.limits, hostname: spec.hostname)
    }

    /// `limits` with the supervising parent's part set to the defaults, so that it does not tell shapes apart.
    static func setUpPart(of limits: SandboxLimits) -> SandboxLimits {
        let defaults = SandboxLimits()
        var part = limits
        part.wallTime = defaults.wallTime
        part.cpuTime = defaults.cpuTime
        part.outputBytes = defaults.outputBytes
        part.outputOverflow = defaults.outputOverflow
        return part
    }
}
