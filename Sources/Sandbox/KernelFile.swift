#if canImport(Glibc)
import Glibc
#endif

/// Kernel control files (cgroupfs, /proc/PID/uid_map): a value goes in with one write(2), as the kernel
/// expects; a short write means the kernel rejected the rest.
enum KernelFile {
    /// Writes `value` to `path`; `creating` also creates a missing file (for fake cgroup trees in tests).
    /// A failure is a `failure` error naming `stage`, the file and the value.
    static func write(
        _ value: String, to path: String, creating: Bool = false, failure: SandboxError.Code, stage: String
    ) throws(SandboxError) {
        let flags = O_WRONLY | O_CLOEXEC | (creating ? O_CREAT | O_TRUNC : 0)
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else {
            throw .system(failure, stage: stage, errno: errno, "cannot open \(path) to write \"\(value)\"")
        }
        defer { close(fd) }
        var bytes = value
        let written = bytes.withUTF8 { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == value.utf8.count else {
            throw .system(failure, stage: stage, errno: written < 0 ? errno : EIO, "cannot write \"\(value)\" to \(path)")
        }
    }
}
