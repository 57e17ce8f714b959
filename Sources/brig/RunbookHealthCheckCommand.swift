import API
import ArgumentParser
import DaemonClient
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// `brig runbook health-check`: the daemon's health report, as an exit status and as lines an operator reads.
struct RunbookHealthCheckCommand: RunbookStep {
    static let configuration = CommandConfiguration(
        commandName: "health-check",
        abstract: "Say whether brig is healthy, degraded, critical or unreachable, and why.",
        discussion: """
            Reads GET /v1/admin/health. The first line is the verdict and what to do; the lines after it are \
            the reasons and the facts (slots, queue, breakers, self-tests, disk, store, recent errors). With \
            --json: the health report as one JSON line, or {"status":"unreachable","reason":...}.

            \(RunbookExitCode.table)

            Examples:
              brig runbook health-check
              brig runbook health-check --json | jq -r .status
            """
    )
    static let stepName = "health check"

    @OptionGroup var options: ClientOptions

    @Option(help: "Seconds to wait for the daemon's answer; no answer by then is 'unreachable' (exit 3).")
    var timeout: Int = 10

    func validate() throws { try validateTimeout() }

    func perform(with client: UnixHTTPClient) throws(ClientError) -> RunbookExitCode {
        let (report, body) = try client.send("GET", "/v1/admin/health", expecting: HealthReport.self)
        if options.json {
            printJSON(body)
        } else {
            StandardStream.output.write(HealthReportText(report: report, socket: options.socket).lines.joined(separator: "\n") + "\n")
        }
        return RunbookExitCode(status: report.status)
    }

    func unreachable(_ error: ClientError) -> RunbookExitCode {
        if options.json {
            let object = ["status": "unreachable", "reason": error.message]
            let line = (try? ClientJSON.encoder.encode(object)).map { Array($0) } ?? Array(#"{"status":"unreachable"}"#.utf8)
            StandardStream.output.write(line + [UInt8(ascii: "\n")])
        } else {
            StandardStream.output.write("brig is UNREACHABLE: \(error.message)\n")
        }
        return .unreachable
    }

    func printJSON(_ body: [UInt8]) {
        StandardStream.output.write(ClientJSON.line(body))
    }
}
