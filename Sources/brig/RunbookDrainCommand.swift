import API
import ArgumentParser
import DaemonClient

/// `brig runbook drain`: POST /v1/admin/drain, operators only.
struct RunbookDrainCommand: RunbookStep {
    static let configuration = CommandConfiguration(
        commandName: "drain",
        abstract: "Stop taking new jobs (they get 503); running and queued jobs go on.",
        discussion: """
            New submissions get 503 `draining` until `brig runbook resume`; running and queued jobs finish as usual. Use it before maintenance; `brig runbook health-check` then says degraded (exit 1).

            \(RunbookExitCode.table)
            """
    )
    static let stepName = "drain"

    @OptionGroup var options: ClientOptions

    @Option(help: "Seconds to wait for the daemon's answer; no answer by then is 'unreachable' (exit 3).")
    var timeout: Int = 60

    func validate() throws { try validateTimeout() }

    func perform(with client: UnixHTTPClient) throws(ClientError) -> RunbookExitCode {
        let (report, body) = try client.send("POST", "/v1/admin/drain", expecting: AdminActionReport.self)
        if options.json {
            StandardStream.output.write(ClientJSON.line(body))
        } else {
            StandardStream.output.write("drain: \(report.message)\n")
        }
        return .healthy
    }
}
