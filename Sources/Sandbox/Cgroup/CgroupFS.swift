#if canImport(Glibc)
import Glibc
#endif

/// Raw access to cgroupfs control files, shared by both drivers: one open/write/close per value, small reads,
/// and the "key value" format of cpu.stat, memory.events, pids.events and memory.oom_control.
enum CgroupFS {
    /// Writes `value` into the control file at `path`. Files are created when missing so that a fake
    /// hierarchy of plain directories behaves like cgroupfs; on the real one a missing file fails (EACCES).
    static func write(_ value: String, to path: String, creating: Bool = true) throws(SandboxError) {
        try KernelFile.write(value, to: path, creating: creating, failure: .cgroupFailed, stage: stage(path))
    }

    /// The whole content of a small file.
    static func read(_ path: String) throws(SandboxError) -> String {
        String(decoding: try KernelFile.read(path, failure: .cgroupFailed, stage: stage(path)), as: UTF8.self)
    }

    /// The content of a file, or nil when it cannot be read (absent, no permission).
    static func readIfPresent(_ path: String) -> String? {
        try? read(path)
    }

    /// A file holding one number ("123\n"); nil when absent or not a number ("max").
    static func number(at path: String) -> UInt64? {
        readIfPresent(path).flatMap(number(in:))
    }

    static func number(in text: String) -> UInt64? {
        UInt64(trimmed(text))
    }

    /// The value of `key` in "key value" lines ("oom_kill 2", "SwapTotal:  0 kB"); nil when no line has it.
    static func value(of key: String, in text: String) -> UInt64? {
        for line in text.split(separator: "\n") {
            let fields = line.split { $0 == " " || $0 == "\t" }
            if fields.count >= 2, fields[0] == key {
                return UInt64(fields[1])
            }
        }
        return nil
    }

    /// A "key value" counter of the file at `path` (memory.events, pids.events, ...); 0 when absent.
    static func count(of key: String, inFileAt path: String) -> Int {
        readIfPresent(path).flatMap { value(of: key, in: $0) }.map { Int(clamping: $0) } ?? 0
    }

    /// The process ids of a cgroup.procs text.
    static func processIDs(in text: String) -> [pid_t] {
        text.split(separator: "\n").compactMap { pid_t(trimmed($0)) }
    }

    /// The stage name for an error about the control file at `path`: "cgroup.memory.max".
    static func stage(_ path: String) -> String {
        "cgroup." + (path.split(separator: "/").last.map(String.init) ?? path)
    }

    private static func trimmed(_ text: some StringProtocol) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" }
        let start = text.firstIndex { !isSpace($0) } ?? text.endIndex
        let end = text.lastIndex { !isSpace($0) }.map { text.index(after: $0) } ?? start
        return Substring(text[start..<max(start, end)])
    }
}
