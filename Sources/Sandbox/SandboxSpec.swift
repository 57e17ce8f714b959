/// What to run in a sandbox and with what: the program, its environment, the image's filesystem and the limits.
public struct SandboxSpec: Sendable {
    /// argv; argv[0] without a slash is looked up in the environment's PATH inside the sandbox.
    public var command: [String]
    /// The complete environment (nothing is inherited from brig).
    public var environment: [String: String]
    /// The image's read-only host paths.
    public var binds: [ReadOnlyBind]
    public var limits: SandboxLimits
    /// Bytes fed to the program's stdin, which then sees end of file.
    public var stdin: [UInt8]
    /// Where the program starts, inside the sandbox.
    public var workingDirectory: String
    public var hostname: String
    /// A workspace prepared by the caller (whose owner's slot the caller holds), or nil for a fresh, empty /work
    /// that lives for this run only, inside the sandbox: nothing of it is mounted on the host.
    public var workspace: Workspace?
    /// A network namespace to join instead of a fresh one (a session's), or nil for a fresh one with only `lo`.
    public var network: NetworkNamespace?
    /// Stdin, signals and the end of stdin while the run goes on; with one, stdin stays open after `stdin`
    /// until the control closes it.
    public var control: SandboxControl?

    public init(
        command: [String], environment: [String: String] = [:], binds: [ReadOnlyBind] = [],
        limits: SandboxLimits = SandboxLimits(), stdin: [UInt8] = [], workingDirectory: String = "/work",
        hostname: String = "brig", workspace: Workspace? = nil, network: NetworkNamespace? = nil,
        control: SandboxControl? = nil
    ) {
        self.command = command
        self.environment = environment
        self.binds = binds
        self.limits = limits
        self.stdin = stdin
        self.workingDirectory = workingDirectory
        self.hostname = hostname
        self.workspace = workspace
        self.network = network
        self.control = control
    }

    /// Why this spec cannot run, or nil.
    func problem() -> String? {
        if command.isEmpty || command[0].isEmpty { return "the command is empty" }
        if command.contains(where: { $0.utf8.contains(0) }) { return "the command contains a NUL byte" }
        for (key, value) in environment where key.isEmpty || key.contains("=" as Character) || key.utf8.contains(0) || value.utf8.contains(0) {
            return "the environment variable \(key.debugDescription) is not valid"
        }
        if !workingDirectory.hasPrefix("/") { return "the working directory must be absolute" }
        if hostname.isEmpty || hostname.utf8.count > 64 { return "the hostname must have 1 to 64 bytes" }
        if limits.memoryBytes < 1 << 20 || limits.pids < 1 || limits.cpus <= 0 || limits.wallTime <= .zero
            || limits.cpuTime <= .zero || limits.outputBytes < 0 || limits.workspaceBytes == 0 || limits.tmpBytes == 0 {
            return "the limits must be positive (memory at least 1 MiB)"
        }
        return nil
    }
}
