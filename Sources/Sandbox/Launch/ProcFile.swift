#if canImport(Glibc)
import Glibc
#endif

/// Writes a whole value to a kernel control file (/proc/PID/uid_map) in one write(2), as the kernel expects.
enum ProcFile {
    static func write(_ path: String, _ value: String) throws(SandboxError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        if fd < 0 { throw .system(.launchFailed, stage: "id_map", errno: errno, "cannot open \(path)") }
        defer { close(fd) }
        let bytes = Array(value.utf8)
        if Glibc.write(fd, bytes, bytes.count) != bytes.count {
            throw .system(.launchFailed, stage: "id_map", errno: errno, "cannot write \(path)")
        }
    }
}
