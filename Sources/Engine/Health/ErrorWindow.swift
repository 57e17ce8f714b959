import API
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Jobs finished in the last `window`, and how many of them ended internal_error: one counter pair per
/// second of the window, in a ring, so recording and reading cost the same however busy brig is.
final class ErrorWindow: Sendable {
    private struct Ring {
        var seconds: [Int64]
        var finished: [Int]
        var errors: [Int]
    }

    let windowSeconds: Int
    private let ring: Mutex<Ring>

    init(windowSeconds: Int = 300) {
        self.windowSeconds = max(1, windowSeconds)
        ring = Mutex(Ring(
            seconds: Array(repeating: -1, count: self.windowSeconds), finished: Array(repeating: 0, count: self.windowSeconds),
            errors: Array(repeating: 0, count: self.windowSeconds)))
    }

    func record(internalError: Bool, at second: Int64 = ErrorWindow.now()) {
        ring.withLock { ring in
            let slot = Int(second % Int64(windowSeconds))
            if ring.seconds[slot] != second {
                ring.seconds[slot] = second
                ring.finished[slot] = 0
                ring.errors[slot] = 0
            }
            ring.finished[slot] += 1
            if internalError { ring.errors[slot] += 1 }
        }
    }

    func rate(at second: Int64 = ErrorWindow.now()) -> ErrorRate {
        ring.withLock { ring in
            var finished = 0
            var errors = 0
            for slot in 0..<windowSeconds where ring.seconds[slot] > second - Int64(windowSeconds) && ring.seconds[slot] <= second {
                finished += ring.finished[slot]
                errors += ring.errors[slot]
            }
            return ErrorRate(windowSeconds: windowSeconds, finished: finished, internalErrors: errors)
        }
    }

    /// Seconds on the monotonic clock (a wall-clock jump must not empty or double the window).
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec)
    }
}
