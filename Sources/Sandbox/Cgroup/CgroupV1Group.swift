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
    /// Each distinct directory's hierarchy: a controller it holds and its mount point (see `clonedInside`).
    let hierarchies: [(controller: String, mount: String)]
    /// pids.max: a thread that clones inside counts as one more.
    let pidsLimit: Int
    private let removed = Mutex(false)
    /// One kill at a time: two overlapping freeze/kill/thaw rounds (the run's own and a watchdog's or an
    /// emergency stop's) would thaw each other's freeze and leave one waiting out the kill timeout.
    private let killing = Mutex(())

    /// `hierarchies` and `order` are parallel: the controller and mount point of each directory.
    init(
        directories byController: [String: String], order: [String],
        hierarchies: [(controller: String, mount: String)], parents: [String], pidsLimit: Int
    ) {
        memory = byController["memory"] ?? ""
        pids = byController["pids"] ?? ""
        cpu = byController["cpu"] ?? ""
        cpuacct = byController["cpuacct"] ?? ""
        freezer = byController["freezer"] ?? ""
        directories = order
        self.hierarchies = hierarchies
        self.parents = parents
        self.pidsLimit = pidsLimit
    }

    var cloneTarget: Int32? { nil }

    func attach(pid: Int32) throws(SandboxError) {
        let value = String(pid)
        for directory in directories {
            try CgroupFS.write(value, to: directory + "/cgroup.procs")
        }
    }

    /// Moving another process into a v1 cgroup (`attach`) write-locks the kernel's global threadgroup lock,
    /// whose first taking after a quiet moment waits out an RCU grace period: 5-25 ms on these machines, more
    /// than the whole launch. A thread that moves itself (`0` written to `tasks`) takes no such lock, and what
    /// it clones is born in its cgroups. So the calling thread steps in, clones, and steps back out to the
    /// cgroups it came from; `killing` is held meanwhile, so no kill can find (and freeze or SIGKILL) this
    /// process in the cgroup. While inside, the thread's CPU time and allocations are the sandbox's: the
    /// clone's own, the sandbox's anyway. Not with pids.max 1: the thread and the init would be two.
    func clonedInside(_ clone: () -> Int32) throws(SandboxError) -> Int32? {
        guard pidsLimit > 1 else { return nil }
        return try killing.withLock { (_) throws(SandboxError) -> Int32? in
            guard let home = Self.callingThreadCgroups(),
                  hierarchies.allSatisfy({ home[$0.controller] != nil })
            else { return nil }
            var entered = 0
            var failure: SandboxError?
            for directory in directories {
                do throws(SandboxError) {
                    try CgroupFS.write("0", to: directory + "/tasks", creating: false)
                    entered += 1
                } catch {
                    failure = error
                    break
                }
            }
            let status = failure == nil ? clone() : nil
            for index in (0..<entered).reversed() {
                let (controller, mount) = hierarchies[index]
                do throws(SandboxError) {
                    try CgroupFS.write("0", to: mount + (home[controller] ?? "") + "/tasks", creating: false)
                } catch {
                    // The cgroup it came from is gone: the hierarchy's root always exists.
                    try CgroupFS.write("0", to: mount + "/tasks", creating: false)
                }
            }
            if let failure { throw failure }
            return status
        }
    }

    /// The calling thread's cgroup path in each v1 hierarchy, by controller; nil when it cannot be read.
    static func callingThreadCgroups() -> [String: String]? {
        CgroupFS.readIfPresent("/proc/thread-self/cgroup").map(paths(in:))
    }

    /// The cgroup path by controller in a /proc/.../cgroup file's text (lines `id:controllers:path`).
    static func paths(in membership: String) -> [String: String] {
        var paths: [String: String] = [:]
        for line in membership.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            for controller in fields[1].split(separator: ",") {
                paths[String(controller)] = String(fields[2])
            }
        }
        return paths
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
