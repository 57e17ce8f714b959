import API
import ArgumentParser
import DaemonClient

/// `brig runbook reap`: POST /v1/admin/reap, operators only.
struct RunbookReapCommand: RunbookStep {
    static let configuration = CommandConfiguration(
        commandName: "reap",
        abstract: "Remove what crashed earlier runs left behind, and list it.",
        discussion: """
            Removes leftover cgroups, mounts, workspaces and processes of runs that no longer exist (the daemon \
            also does this at start). Each removed thing is printed on its own line.

            \(RunbookExitCode.table)
            """
    )
    static let stepName = "reap"

    @OptionGroup var options: ClientOptions

    @Option(help: "Seconds to wait for the daemon's answer; no answer by then is 'unreachable' (exit 3).")
    var timeout: Int = 60

    func validate() throws { try validateTimeout() }

    func perform(with client: UnixHTTPClient) throws(ClientError) -> RunbookExitCode {
        let (report, body) = try client.send("POST", "/v1/admin/reap", expecting: ReapReport.self)
        if options.json {
            StandardStream.output.write(ClientJSON.line(body))
        } else if report.removed.isEmpty {
            StandardStream.output.write("reap: nothing was left behind\n")
        } else {
            StandardStream.output.write(
                "reap: removed \(report.removed.count) leftovers:\n" + report.removed.map { "  \($0)\n" }.joined())
        }
        return .healthy
    }
}
