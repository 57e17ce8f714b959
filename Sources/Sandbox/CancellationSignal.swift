import CSandbox
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Ends a run from outside (a client's cancel, a signal to `brig run`). Backed by an eventfd that the run's
/// poll loop watches, so `cancel()` is async-signal-safe and wakes the loop at once.
public final class CancellationSignal: Sendable {
    /// The eventfd; readable once cancelled.
    public let fd: Int32
    /// The cgroup of the run this signal is given to, while it exists: what `killSandbox` kills.
    private let sandbox = Mutex<(any SandboxCgroup)?>(nil)

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

    /// Kills every process in the running sandbox's cgroup at once, from the calling thread, without waiting for
    /// the run's poll loop to notice `cancel()`: the backstop of a watchdog or an emergency stop for when that
    /// loop is stuck. False when no sandbox is running under this signal (not started yet, or already over).
    @discardableResult
    public func killSandbox() throws(SandboxError) -> Bool {
        try sandbox.withLock { (cgroup) throws(SandboxError) -> Bool in
            guard let cgroup else { return false }
            try cgroup.killAll()
            return true
        }
    }

    /// Called by the launcher once the run's cgroup exists, and with nil before it is removed (under the same
    /// lock as `killSandbox`, so a kill never reaches a removed cgroup).
    func attach(_ cgroup: (any SandboxCgroup)?) {
        sandbox.withLock { $0 = cgroup }
    }

    deinit { close(fd) }
}
