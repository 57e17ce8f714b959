#if canImport(Glibc)
import Glibc
#endif

extension CgroupFS {
    /// How long killing a cgroup's processes may take before it counts as failed.
    static let killTimeout: Duration = .seconds(2)

    /// The processes in a cgroup.procs file; a missing file is a cgroup with none (it is gone, or a fake
    /// hierarchy that never had any).
    static func processes(listedIn procsPath: String) throws(SandboxError) -> [pid_t] {
        do {
            return processIDs(in: try read(procsPath))
        } catch {
            if error.errno == ENOENT { return [] }
            throw error
        }
    }

    /// SIGKILLs every process in the cgroup until none is left. While frozen nothing in the cgroup can fork,
    /// so the list read is complete; the kills land when it thaws (SIGKILL also ends stopped processes).
    /// Repeats because a process may sit out a freeze (uninterruptible sleep) or still be leaving.
    static func killEveryProcess(
        listedIn procsPath: String,
        freeze: (ContinuousClock.Instant) throws(SandboxError) -> Void,
        thaw: () throws(SandboxError) -> Void
    ) throws(SandboxError) {
        let deadline = ContinuousClock.now + killTimeout
        var pause: UInt32 = 100
        var remaining = try processes(listedIn: procsPath)
        while !remaining.isEmpty {
            guard ContinuousClock.now < deadline else {
                throw SandboxError(
                    .cgroupFailed, "\(remaining.count) processes still in \(procsPath) after \(killTimeout) of killing",
                    stage: stage(procsPath))
            }
            do {
                try freeze(deadline)
                for pid in try processes(listedIn: procsPath) {
                    kill(pid, SIGKILL)
                }
            } catch {
                try? thaw()
                throw error
            }
            try thaw()
            remaining = try processes(listedIn: procsPath)
            if !remaining.isEmpty {
                usleep(pause)
                pause = min(pause * 2, 20_000)
                remaining = try processes(listedIn: procsPath)
            }
        }
    }

    /// Waits until the cgroup has no process left, for at most `killTimeout`.
    static func waitUntilEmpty(_ procsPath: String) throws(SandboxError) {
        let deadline = ContinuousClock.now + killTimeout
        var pause: UInt32 = 50
        while true {
            let remaining = try processes(listedIn: procsPath)
            if remaining.isEmpty { return }
            guard ContinuousClock.now < deadline else {
                throw SandboxError(
                    .cgroupFailed, "\(remaining.count) processes still in \(procsPath) \(killTimeout) after the kill",
                    stage: stage(procsPath))
            }
            usleep(pause)
            pause = min(pause * 2, 10_000)
        }
    }
}
