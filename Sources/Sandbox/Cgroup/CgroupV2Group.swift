#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// One sandbox's cgroup on the unified hierarchy.
final class CgroupV2Group: SandboxCgroup {
    let directory: String
    let parentDirectory: String
    /// The directory fd for CLONE_INTO_CGROUP (nil once `remove` ran), and whether the cgroup is gone.
    private let state: Mutex<(fd: Int32?, removed: Bool)>

    init(directory: String, parentDirectory: String, fd: Int32) {
        self.directory = directory
        self.parentDirectory = parentDirectory
        self.state = Mutex((fd: fd, removed: false))
    }

    var cloneTarget: Int32? { state.withLock { $0.fd } }

    /// Nil: on v2 the init is cloned straight into this cgroup (`cloneTarget`), which takes no lock to wait on.
    func clonedInside(_ clone: () -> Int32) throws(SandboxError) -> Int32? { nil }

    func attach(pid: Int32) throws(SandboxError) {
        try CgroupFS.write(String(pid), to: directory + "/cgroup.procs")
    }

    func cpuTimeNanoseconds() -> UInt64 {
        let stat = CgroupFS.readIfPresent(directory + "/cpu.stat") ?? ""
        return (CgroupFS.value(of: "usage_usec", in: stat) ?? 0) &* 1000
    }

    func usage() -> CgroupUsage {
        let stat = CgroupFS.readIfPresent(directory + "/cpu.stat") ?? ""
        return CgroupUsage(
            cpuUserNanoseconds: (CgroupFS.value(of: "user_usec", in: stat) ?? 0) &* 1000,
            cpuSystemNanoseconds: (CgroupFS.value(of: "system_usec", in: stat) ?? 0) &* 1000,
            memoryPeakBytes: CgroupFS.number(at: directory + "/memory.peak"),
            oomKills: CgroupFS.count(of: "oom_kill", inFileAt: directory + "/memory.events"),
            pidsPeak: CgroupFS.number(at: directory + "/pids.peak").map { Int(clamping: $0) },
            pidsLimitHits: CgroupFS.count(of: "max", inFileAt: directory + "/pids.events"))
    }

    func killAll() throws(SandboxError) {
        let procs = directory + "/cgroup.procs"
        do {
            // cgroup.kill (Linux 5.14) kills everything at once, forks in flight included.
            try CgroupFS.write("1", to: directory + "/cgroup.kill", creating: false)
        } catch {
            guard error.errno == ENOENT else { throw error }
            let freeze = directory + "/cgroup.freeze"
            try CgroupFS.killEveryProcess(
                listedIn: procs,
                freeze: { (_) throws(SandboxError) in try CgroupFS.write("1", to: freeze) },
                thaw: { () throws(SandboxError) in try CgroupFS.write("0", to: freeze) })
            return
        }
        try CgroupFS.waitUntilEmpty(procs)
    }

    func remove() throws(SandboxError) {
        try state.withLock { (state) throws(SandboxError) in
            // The fd goes even if the cgroup cannot: the run is over, and a daemon must not leak fds.
            if let fd = state.fd {
                close(fd)
                state.fd = nil
            }
            guard !state.removed else { return }
            try CgroupFS.removeDirectory(directory, retryingUntil: .now + .seconds(1))
            state.removed = true
            CgroupFS.removeIfUnused(parentDirectory)
        }
    }
}
