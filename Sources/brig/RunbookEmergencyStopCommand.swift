import API
import ArgumentParser
import DaemonClient

/// `brig runbook emergency-stop`: POST /v1/admin/emergency-stop, operators only.
struct RunbookEmergencyStopCommand: RunbookStep {
    static let configuration = CommandConfiguration(
        commandName: "emergency-stop",
        abstract: "Kill every running sandbox now and refuse new work; keep all state.",
        discussion: """
            Every running sandbox is killed cgroup-wide within a second (its job ends cancelled, with the reason); queued jobs stay queued; new submissions get 503 until `brig runbook resume`. The daemon keeps running and `brig runbook health-check` says critical (exit 2).

            \(RunbookExitCode.table)
            """
    )
    static let stepName = "emergency stop"

    @OptionGroup var options: ClientOptions

    @Option(help: "Seconds to wait for the daemon's answer; no answer by then is 'unreachable' (exit 3).")
    var timeout: Int = 60

    func validate() throws { try validateTimeout() }

    func perform(with client: UnixHTTPClient) throws(ClientError) -> RunbookExitCode {
        let (report, body) = try client.send("POST", "/v1/admin/emergency-stop", expecting: AdminActionReport.self)
        if options.json {
            StandardStream.output.write(ClientJSON.line(body))
        } else {
            StandardStream.output.write("emergency stop: \(report.message)" + (report.killed.map { " (\($0) sandboxes killed)" } ?? "") + "\n")
        }
        return .healthy
    }
}
