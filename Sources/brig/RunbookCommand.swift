import ArgumentParser

/// `brig runbook ...`: what a shell runbook, cron job or monitoring agent needs, with exit statuses to branch on.
struct RunbookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runbook",
        abstract: "Check brig's health and act on it: drain, resume, emergency stop, reap, self-test.",
        discussion: """
            Every subcommand talks to the daemon over its socket and exits with a status a script can branch on; \
            --json prints the daemon's answer as one JSON line instead of text for people. The actions are for \
            operators only (root, --operator-uid, --operator-gid) and are written to the daemon's audit log.

            \(RunbookExitCode.table)

            Example (cron, every minute):
              brig runbook health-check >/dev/null || logger -t brig "health check: exit $?"
            """,
        subcommands: [
            RunbookHealthCheckCommand.self, RunbookDrainCommand.self, RunbookResumeCommand.self,
            RunbookEmergencyStopCommand.self, RunbookReapCommand.self, RunbookSelfTestCommand.self,
        ]
    )
}
