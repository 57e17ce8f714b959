#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// One sandbox's cgroup on v1: a directory per controller hierarchy, joined and removed together.
final class CgroupV1Group: SandboxCgroup {
    let memory: String
    let pids: String
    let cpu: String
    let cpuacct: String
    let freezer: String
    /// Every distinct directory, freezer's first.
    let directories: [String]
    /// The parent directories, removed when no other sandbox uses them.
    let parents: [String]
    private let removed = Mutex(false)
    /// One kill at a time: two overlapping freeze/kill/thaw rounds (the run's own and a watchdog's or an
    /// emergency stop's) would thaw each other's freeze and leave one waiting out the kill timeout.
    private let killing = Mutex(())

    init(directories byController: [String: String], order: [String], parents: [String]) {
        memory = byController["memory"] ?? ""
        pids = byController["pids"] ?? ""
        cpu = byController["cpu"] ?? ""
        cpuacct = byController["cpuacct"] ?? ""
        freezer = byController["freezer"] ?? ""
        directories = order
        self.parents = parents
    }

    var cloneTarget: Int32? { nil }

    func attach(pid: Int32) throws(SandboxError) {
        let value = String(pid)
        for directory in directories {
            try CgroupFS.write(value, to: directory + "/cgroup.procs")
        }
    }

    func cpuTimeNanoseconds() -> UInt64 {
        CgroupFS.number(at: cpuacct + "/cpuacct.usage") ?? 0
    }

    func usage() -> CgroupUsage {
        CgroupUsage(
            cpuUserNanoseconds: CgroupFS.number(at: cpuacct + "/cpuacct.usage_user") ?? 0,
            cpuSystemNanoseconds: CgroupFS.number(at: cpuacct + "/cpuacct.usage_sys") ?? 0,
            memoryPeakBytes: CgroupFS.number(at: memory + "/memory.max_usage_in_bytes"),
            oomKills: CgroupFS.count(of: "oom_kill", inFileAt: memory + "/memory.oom_control"),
            pidsPeak: nil,
            pidsLimitHits: CgroupFS.count(of: "max", inFileAt: pids + "/pids.events"))
    }

    func killAll() throws(SandboxError) {
        try killing.withLock { (_) throws(SandboxError) in try killAllProcesses() }
    }

    private func killAllProcesses() throws(SandboxError) {
        let state = freezer + "/freezer.state"
        try CgroupFS.killEveryProcess(
            listedIn: freezer + "/cgroup.procs",
            freeze: { (deadline) throws(SandboxError) in
                try CgroupFS.write("FROZEN", to: state)
                // Freezing is asynchronous: until it reads FROZEN, a process may still fork.
                var pause: UInt32 = 20
                while CgroupFS.readIfPresent(state)?.hasPrefix("FROZEN") != true, ContinuousClock.now < deadline {
                    usleep(pause)
                    pause = min(pause * 2, 5_000)
                }
            },
            thaw: { () throws(SandboxError) in try CgroupFS.write("THAWED", to: state) })
    }

    func remove() throws(SandboxError) {
        try removed.withLock { (removed) throws(SandboxError) in
            guard !removed else { return }
            let deadline = ContinuousClock.now + .seconds(1)
            for directory in directories {
                try CgroupFS.removeDirectory(directory, retryingUntil: deadline)
            }
            removed = true
            for parent in parents {
                CgroupFS.removeIfUnused(parent)
            }
        }
    }

}
