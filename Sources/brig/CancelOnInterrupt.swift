#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C (SIGINT) or SIGTERM while `brig exec` follows a job asks the daemon to cancel it, so the job ends as
/// `cancelled` and is reported; a second one ends brig at once (exit 130). The handler only counts.
enum CancelOnInterrupt {
    nonisolated(unsafe) private static var count: sig_atomic_t = 0

    static func install() {
        for signal in [SIGINT, SIGTERM] {
            var action = sigaction()
            // No SA_RESTART: the signal interrupts poll(), so the follower notices it at once.
            action.__sigaction_handler.sa_handler = { _ in
                CancelOnInterrupt.count += 1
                if CancelOnInterrupt.count > 1 { _exit(130) }
            }
            sigaction(signal, &action, nil)
        }
        // A parent may start brig with these signals blocked (the mask is inherited): then they would never arrive.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }

    static var requested: Bool { count > 0 }
}
