/// What a sandbox's cgroup counted, read after its processes are gone and before it is removed.
public struct CgroupUsage: Sendable, Equatable {
    public var cpuUserNanoseconds: UInt64
    public var cpuSystemNanoseconds: UInt64
    /// Highest memory use, when the kernel tracks it (v1 max_usage_in_bytes, v2 memory.peak).
    public var memoryPeakBytes: UInt64?
    /// Processes the OOM killer killed in this cgroup.
    public var oomKills: Int
    /// Highest number of pids at once, when the kernel tracks it (v2 pids.peak).
    public var pidsPeak: Int?
    /// Times a fork failed because pids.max was reached.
    public var pidsLimitHits: Int

    public init(
        cpuUserNanoseconds: UInt64 = 0, cpuSystemNanoseconds: UInt64 = 0, memoryPeakBytes: UInt64? = nil,
        oomKills: Int = 0, pidsPeak: Int? = nil, pidsLimitHits: Int = 0
    ) {
        self.cpuUserNanoseconds = cpuUserNanoseconds
        self.cpuSystemNanoseconds = cpuSystemNanoseconds
        self.memoryPeakBytes = memoryPeakBytes
        self.oomKills = oomKills
        self.pidsPeak = pidsPeak
        self.pidsLimitHits = pidsLimitHits
    }
}
