import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// CPU time (user and system) used so far by this process, by the children it has reaped, which include
/// whatever those reaped in turn, and by its launch zygote (which clones its sandboxes' inits and lives on).
/// Kernel work done in workqueues (a network namespace's teardown, RCU callbacks) belongs to no process and
/// is not in it.
enum BenchCPUTime {
    /// This process's launch zygote, found once (its launcher started it before any turn).
    private static let zygote = BenchProcessCPU.zygotes(of: getpid()).first

    static func milliseconds() -> Double {
        let zygoteTime = zygote.map(runTime(of:)) ?? 0
        var own = rusage()
        var children = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &own)
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &children)
        let times: [timeval] = [own.ru_utime, own.ru_stime, children.ru_utime, children.ru_stime]
        return times.reduce(zygoteTime) { sum, time in sum + Double(time.tv_sec) * 1000 + Double(time.tv_usec) / 1000 }
    }

    /// A single-threaded process's time on a CPU, in milliseconds: /proc/PID/schedstat's first field, in
    /// nanoseconds (its stat counts whole clock ticks, too coarse for one launch).
    static func runTime(of pid: pid_t) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/schedstat", encoding: .utf8),
              let nanoseconds = text.split(separator: " ").first.flatMap({ Double($0) })
        else { return 0 }
        return nanoseconds / 1_000_000
    }
}
