import CSandbox
#if canImport(Glibc)
import Glibc
#endif

/// A network namespace that lives as long as this object (an fd on it), for runs that share one network:
/// every step of a session joins its session's namespace instead of getting a fresh one, so a server one step
/// starts is reachable over loopback from a later step and from nothing outside the session. It has only `lo`
/// and belongs to the initial user namespace, so sandboxed code (in a user namespace of its own, with no
/// capabilities) cannot reconfigure it. `brig run` has one made for its sandbox (`Pending`) while it reads
/// its profile, rather than within the clone.
public final class NetworkNamespace: Sendable {
    public let fd: Int32

    public init() throws(SandboxError) {
        let created = brig_netns_create()
        if created < 0 {
            throw .system(.launchFailed, stage: "netns", errno: -created, "cannot create a network namespace")
        }
        fd = created
    }

    init(adopting fd: Int32) {
        self.fd = fd
    }

    /// Runs `body` with the calling thread inside this namespace (net namespaces are per thread), then puts the
    /// thread back. A process cloned in `body` starts in this namespace.
    func withEntered<T>(_ body: () throws(SandboxError) -> T) throws(SandboxError) -> T {
        let original = brig_netns_current()
        if original < 0 {
            throw .system(.launchFailed, stage: "netns", errno: -original, "cannot open this thread's network namespace")
        }
        defer { close(original) }
        let entered = brig_netns_enter(fd)
        if entered < 0 {
            throw .system(.launchFailed, stage: "netns", errno: -entered, "cannot enter the session's network namespace")
        }
        defer {
            // Failing to go back would leave this launching thread in the session's namespace; it launches only
            // this run and ends with it, but say so loudly rather than silently.
            let back = brig_netns_enter(original)
            precondition(back == 0, "cannot return the launching thread to its network namespace")
        }
        return try body()
    }

    deinit { close(fd) }
}
