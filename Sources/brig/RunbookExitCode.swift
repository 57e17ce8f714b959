/// `brig runbook`'s exit statuses, the same for every subcommand so a shell runbook can branch on them.
enum RunbookExitCode: Int32, Sendable {
    /// health-check: healthy. Actions: done.
    case healthy = 0
    /// health-check: ready, but a breaker is open, a self-test fails or brig is draining.
    /// selftest: at least one language failed.
    case degraded = 1
    /// health-check: brig cannot take work (emergency stop, store, cgroups, disk).
    /// Actions: the daemon refused or failed the action (not an operator, ...).
    case critical = 2
    /// No answer: no daemon on the socket, no permission on it, or no answer within --timeout.
    case unreachable = 3
    /// A bad argument (ArgumentParser's own status).
    case usage = 64

    /// The health report's `status`; anything unknown is taken as critical rather than hidden.
    init(status: String) {
        switch status {
        case "healthy": self = .healthy
        case "degraded": self = .degraded
        default: self = .critical
        }
    }

    /// For --help: the table every runbook command documents.
    static let table = """
        Exit status:
          0  healthy (health-check), done (actions)
          1  degraded: ready, but a breaker is open, a self-test fails or brig is draining
             (selftest: at least one language failed)
          2  critical: brig cannot take work (emergency stop, store, cgroups, disk);
             for an action: the daemon refused or failed it (for example: not an operator)
          3  unreachable: no daemon on the socket, no permission on it, or no answer in time
          64 bad arguments
        """
}
