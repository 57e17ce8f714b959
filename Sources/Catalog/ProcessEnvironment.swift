#if canImport(Glibc)
import Glibc
#endif

/// This process's environment variables, read one at a time.
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
}
