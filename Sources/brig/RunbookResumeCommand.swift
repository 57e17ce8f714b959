import API
import ArgumentParser
import DaemonClient

/// `brig runbook resume`: POST /v1/admin/resume, operators only.
struct RunbookResumeCommand: RunbookStep {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Take work again after a drain or an emergency stop.",
        discussion: """
            Ends a drain or an emergency stop: new submissions are accepted again and queued jobs start.

            \(RunbookExitCode.table)
            """
    )
    static let stepName = "resume"

    @OptionGroup var options: ClientOptions

    @Option(help: "Seconds to wait for the daemon's answer; no answer by then is 'unreachable' (exit 3).")
    var timeout: Int = 60

    func validate() throws { try validateTimeout() }

    func perform(with client: UnixHTTPClient) throws(ClientError) -> RunbookExitCode {
        let (report, body) = try client.send("POST", "/v1/admin/resume", expecting: AdminActionReport.self)
        if options.json {
            StandardStream.output.write(ClientJSON.line(body))
        } else {
            StandardStream.output.write("resume: \(report.message)\n")
        }
        return .healthy
    }
}
