extension CgroupLimits {
    /// The CFS period: the default, and short enough that a throttled sandbox still answers promptly.
    static let cfsPeriodMicroseconds = 100_000

    /// CPU time per period for `cpus` cores, at least 1 ms (the kernel's smallest quota).
    func cfsQuotaMicroseconds() throws(SandboxError) -> Int {
        guard cpus.isFinite, cpus > 0, cpus <= 1024 else {
            throw SandboxError(.invalidSpec, "cpus must be more than 0 and at most 1024, not \(cpus)")
        }
        return max(1000, Int(cpus * Double(Self.cfsPeriodMicroseconds)))
    }

    /// Rejects limits that would mean "no limit" or that the kernel would refuse.
    func validate() throws(SandboxError) {
        guard memoryBytes > 0 else {
            throw SandboxError(.invalidSpec, "memory limit must be more than 0 bytes")
        }
        guard pids > 0 else {
            throw SandboxError(.invalidSpec, "pids limit must be at least 1, not \(pids)")
        }
        _ = try cfsQuotaMicroseconds()
    }
}
