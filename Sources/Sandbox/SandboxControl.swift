import CSandbox
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Talks to a running sandbox from outside: more stdin, the end of stdin, a signal to the program. Commands
/// queue here and an eventfd wakes the run's poll loop, which carries them out on the launching thread.
/// A run given a control keeps its stdin open after the spec's initial bytes until `closeInput`.
public final class SandboxControl: Sendable {
    public enum Command: Sendable, Equatable {
        /// Bytes appended to the program's stdin.
        case input([UInt8])
        /// End of file on the program's stdin (once the bytes before it are written).
        case closeInput
        /// A signal to the program's process group (the program and what it started, not brig's init).
        case signal(Int32)
    }

    /// The eventfd the run polls; readable while commands wait.
    public let fd: Int32
    private let pending = Mutex<[Command]>([])

    public init() throws(SandboxError) {
        fd = brig_eventfd()
        if fd < 0 { throw .system(.launchFailed, stage: "eventfd", errno: -fd, "cannot create a control eventfd") }
    }

    public func send(_ command: Command) {
        pending.withLock { $0.append(command) }
        var one: UInt64 = 1
        _ = write(fd, &one, 8)
    }

    /// The commands sent since the last call, in order; resets the eventfd first so none is missed.
    func take() -> [Command] {
        var count: UInt64 = 0
        _ = read(fd, &count, 8)
        return pending.withLock { commands in
            defer { commands.removeAll() }
            return commands
        }
    }

    deinit { close(fd) }
}
