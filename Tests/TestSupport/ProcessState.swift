#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// What /proc says about a process, for checking that a kill landed.
public enum ProcessState {
    /// The state letter of /proc/<pid>/stat ("R", "S", "T" stopped, "Z" zombie), nil when it is gone.
    public static func letter(_ pid: pid_t) -> Character? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let end = stat.range(of: ") ", options: .backwards)
        else { return nil }
        return stat[end.upperBound...].first
    }

    /// Whether `pid` exists and has not exited (zombies have exited; they only wait to be reaped).
    public static func isRunning(_ pid: pid_t) -> Bool {
        guard let state = letter(pid) else { return false }
        return state != "Z" && state != "X"
    }
}
