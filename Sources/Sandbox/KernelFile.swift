#if canImport(Glibc)
import Glibc
#endif

/// Kernel files (cgroupfs, /proc): a value goes in with one write(2), as the kernel expects (a short write
/// means the kernel rejected the rest); a file is read to its end, however many reads that takes.
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

    /// The whole of a file, read until end of file (/proc and /sys files are generated a page or a record at
    /// a time, so one read may return part of them). A failure is a `failure` error naming `stage` and the file.
    static func read(_ path: String, failure: SandboxError.Code, stage: String) throws(SandboxError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .system(failure, stage: stage, errno: errno, "cannot open \(path)") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .system(failure, stage: stage, errno: errno, "cannot read \(path)")
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// `read`'s bytes, or nil when the file cannot be read.
    static func readBytes(_ path: String) -> [UInt8]? {
        try? read(path, failure: .launchFailed, stage: "read")
    }
}
