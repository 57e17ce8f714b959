import Sandbox
#if canImport(Glibc)
import Glibc
#endif

/// SIGINT, SIGTERM and SIGHUP end the sandbox (status `cancelled`) instead of killing `brig run` outright,
/// so the run is still cleaned up and reported. The handler only writes to the cancellation eventfd.
enum InterruptForwarding {
    nonisolated(unsafe) private static var fd: Int32 = -1

    static func install(_ cancellation: CancellationSignal) {
        fd = cancellation.fd
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { _ in
                var one: UInt64 = 1
                _ = write(InterruptForwarding.fd, &one, 8)
            }
            sigaction(signal, &action, nil)
        }
        // A parent may have started us with these blocked (test runners do); a blocked SIGINT would never arrive.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&unblock, signal) }
        sigprocmask(SIG_UNBLOCK, &unblock, nil)
    }
}
