/// What one sandboxed run may use. Byte counts are bytes; times are durations.
public struct SandboxLimits: Sendable, Equatable, Codable {
    /// Wall-clock time from the program's start to its end.
    public var wallTime: Duration
    /// CPU time (user + system) of the whole sandbox, every process in it.
    public var cpuTime: Duration
    /// Memory of the whole sandbox, swap included (no escape through swap), tmpfs pages included.
    public var memoryBytes: UInt64
    /// CPU bandwidth as a number of cores (0.5 = half of one core), enforced by CFS quota / cpu.max.
    public var cpus: Double
    /// Processes and threads alive at once in the sandbox.
    public var pids: Int
    /// Bytes of stdout, and separately of stderr, kept; the rest is drained, counted and dropped.
    public var outputBytes: Int
    /// What happens when a stream passes `outputBytes`.
    public var outputOverflow: OutputOverflow
    /// Size of the writable workspace at /work.
    public var workspaceBytes: UInt64
    /// Size of the private /tmp.
    public var tmpBytes: UInt64
    /// RLIMIT_NOFILE.
    public var openFiles: Int
    /// RLIMIT_FSIZE: the largest file the program may write.
    public var fileSizeBytes: UInt64
    /// RLIMIT_STACK.
    public var stackBytes: UInt64

    public init(
        wallTime: Duration = .seconds(10),
        cpuTime: Duration = .seconds(5),
        memoryBytes: UInt64 = 256 << 20,
        cpus: Double = 1,
        pids: Int = 64,
        outputBytes: Int = 1 << 20,
        outputOverflow: OutputOverflow = .truncate,
        workspaceBytes: UInt64 = 64 << 20,
        tmpBytes: UInt64 = 64 << 20,
        openFiles: Int = 256,
        fileSizeBytes: UInt64 = 64 << 20,
        stackBytes: UInt64 = 8 << 20
    ) {
        self.wallTime = wallTime
        self.cpuTime = cpuTime
        self.memoryBytes = memoryBytes
        self.cpus = cpus
        self.pids = pids
        self.outputBytes = outputBytes
        self.outputOverflow = outputOverflow
        self.workspaceBytes = workspaceBytes
        self.tmpBytes = tmpBytes
        self.openFiles = openFiles
        self.fileSizeBytes = fileSizeBytes
        self.stackBytes = stackBytes
    }

    /// The limits that a cgroup enforces.
    public var cgroup: CgroupLimits {
        CgroupLimits(memoryBytes: memoryBytes, cpus: cpus, pids: pids)
    }
}

/// What to do when a program writes more than the output cap.
public enum OutputOverflow: String, Sendable, Codable, CaseIterable {
    /// Keep the first bytes, flag the stream truncated, let the program run on.
    case truncate
    /// End the run at once with status `output_limit`.
    case kill
}
