#if canImport(Glibc)
import Glibc
#endif

/// Wall time on the monotonic clock, read with one system call and no allocation so it adds nothing to what
/// it measures.
enum Stopwatch {
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) * 1000 + Double(time.tv_nsec) / 1_000_000
    }

    /// How long `body` took, in milliseconds.
    static func milliseconds<Failure: Error>(_ body: () throws(Failure) -> Void) throws(Failure) -> Double {
        let start = now()
        try body()
        return now() - start
    }
}
