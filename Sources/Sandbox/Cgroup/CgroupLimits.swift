/// The part of a run's limits that a cgroup enforces.
public struct CgroupLimits: Sendable, Equatable {
    /// memory.limit_in_bytes + memory.memsw.limit_in_bytes (v1), memory.max + memory.swap.max=0 (v2).
    public var memoryBytes: UInt64
    /// Cores of CPU bandwidth: quota = cpus × period (cpu.cfs_quota_us on v1, cpu.max on v2).
    public var cpus: Double
    /// pids.max.
    public var pids: Int

    public init(memoryBytes: UInt64, cpus: Double, pids: Int) {
        self.memoryBytes = memoryBytes
        self.cpus = cpus
        self.pids = pids
    }
}
