#if canImport(Glibc)
import Glibc
#endif

/// This process's surroundings: its environment variables, read one at a time, and its executable.
///
/// Foundation's `ProcessInfo.processInfo.environment` copies the whole environment into a dictionary on every
/// call; a command-line option's default that reads it runs each time ArgumentParser makes the command, and
/// together those cost `brig run` about half a millisecond of its start-up.
public enum ProcessEnvironment {
    /// The variable's value; nil when it is not set or set to nothing.
    public static func value(of name: String) -> String? {
        guard let value = getenv(name), value.pointee != 0 else { return nil }
        return String(cString: value)
    }

    /// The running executable's path, symbolic links resolved (/proc/self/exe: argv[0] may be a bare name
    /// found on PATH, or a link to an installed brig); nil when it cannot be read.
    public static var executable: String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
