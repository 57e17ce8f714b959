import CSandbox
#if canImport(Glibc)
import Glibc
#endif

/// Ends a run from outside (a client's cancel, a signal to `brig run`). Backed by an eventfd that the run's
/// poll loop watches, so `cancel()` is async-signal-safe and wakes the loop at once.
public final class CancellationSignal: Sendable {
    /// The eventfd; readable once cancelled.
    public let fd: Int32

    public init() throws(SandboxError) {
        fd = brig_eventfd()
        if fd < 0 { throw .system(.launchFailed, stage: "eventfd", errno: -fd, "cannot create a cancellation eventfd") }
    }

    public func cancel() {
        var one: UInt64 = 1
        _ = write(fd, &one, 8)
    }

    public var isCancelled: Bool {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, 0) == 1
    }

    deinit { close(fd) }
}
