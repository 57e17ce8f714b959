#if canImport(Glibc)
import Glibc
#endif

/// CPU time (user and system) used so far by this process and by the children it has reaped, which include
/// whatever those reaped in turn. Kernel work done in workqueues (a network namespace's teardown, RCU
/// callbacks) belongs to no process and is not in it.
enum BenchCPUTime {
    static func milliseconds() -> Double {
        var own = rusage()
        var children = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &own)
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &children)
        let times: [timeval] = [own.ru_utime, own.ru_stime, children.ru_utime, children.ru_stime]
        return times.reduce(0.0) { sum, time in sum + Double(time.tv_sec) * 1000 + Double(time.tv_usec) / 1000 }
    }
}
