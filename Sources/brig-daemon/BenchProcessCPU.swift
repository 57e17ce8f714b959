import Foundation
import Sandbox

/// A process's CPU time from /proc/PID/stat, in milliseconds: its own threads' in user space and in the kernel,
/// and that of the children it has reaped (for the daemon: each sandbox's init, with the programs it reaped).
/// Its launch zygote (a child it never reaps, which clones the inits for it) counts as its own.
/// CPU time is steadier than wall time on a shared machine: per job, it shows where a load's time went.
struct BenchProcessCPU: Codable, Sendable, Equatable {
    var user: Double
    var kernel: Double
    var reapedChildren: Double

    static func of(_ pid: pid_t) -> BenchProcessCPU? {
        guard var cpu = stat(of: pid) else { return nil }
        for zygote in zygotes(of: pid) {
            guard let helper = stat(of: zygote) else { continue }
            cpu.user += helper.user
            cpu.kernel += helper.kernel
        }
        return cpu
    }

    private static func stat(of pid: pid_t) -> BenchProcessCPU? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return nil }
        return parse(stat, ticksPerSecond: Double(sysconf(Int32(_SC_CLK_TCK))))
    }

    /// `pid`'s children named as the launch zygote names itself (each thread lists the children it made).
    static func zygotes(of pid: pid_t) -> [pid_t] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.flatMap { task -> [pid_t] in
            let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? ""
            return children.split(separator: " ").compactMap { pid_t($0) }.filter { child in
                let name = try? String(contentsOfFile: "/proc/\(child)/comm", encoding: .utf8)
                return name?.trimmingCharacters(in: .newlines) == SandboxLauncher.zygoteName
            }
        }
    }

    /// utime, stime, cutime and cstime are the line's 14th to 17th fields, counted from the end of the command
    /// name (which may hold spaces and parentheses: the last ")" ends it).
    static func parse(_ stat: String, ticksPerSecond: Double) -> BenchProcessCPU? {
        guard ticksPerSecond > 0, let end = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        guard fields.count > 14, let utime = Double(fields[11]), let stime = Double(fields[12]),
              let cutime = Double(fields[13]), let cstime = Double(fields[14])
        else { return nil }
        let milliseconds = 1000 / ticksPerSecond
        return BenchProcessCPU(user: utime * milliseconds, kernel: stime * milliseconds, reapedChildren: (cutime + cstime) * milliseconds)
    }

    /// What was used from `start` to this, divided among `jobs`.
    func perJob(since start: BenchProcessCPU, jobs: Int) -> BenchProcessCPU {
        let count = Double(max(jobs, 1))
        return BenchProcessCPU(
            user: (user - start.user) / count, kernel: (kernel - start.kernel) / count,
            reapedChildren: (reapedChildren - start.reapedChildren) / count)
    }
}
