import API
import ArgumentParser
import BrigCommandLine
import DaemonClient

/// `brig runbook selftest`: POST /v1/admin/selftest, operators only.
struct RunbookSelfTestCommand: RunbookStep {
    static let configuration = CommandConfiguration(
        commandName: "selftest",
        abstract: "Run every language's hello world now; exit 1 when one fails.",
        discussion: """
            Each language's self-test runs in a sandbox as a job would; the results feed the circuit breakers \
            (a failing language's breaker opens, a passing one's closes). One line per language.

            \(RunbookExitCode.table)
            """
    )
    static let stepName = "selftest"

    @OptionGroup var options: ClientOptions

    @Option(help: "Seconds to wait for the daemon's answer; no answer by then is 'unreachable' (exit 3).")
    var timeout: Int = 120

    func validate() throws { try validateTimeout() }

    func perform(with client: UnixHTTPClient) throws(ClientError) -> RunbookExitCode {
        let (report, body) = try client.send("POST", "/v1/admin/selftest", expecting: SelfTestReport.self)
        let failed = report.results.filter { !$0.passed }
        if options.json {
            StandardStream.output.write(ClientJSON.line(body))
        } else {
            let width = report.results.map(\.language.count).max() ?? 0
            let lines = report.results.map { result in
                let name = result.language.padded(to: width)
                return "  \(name)  \(result.passed ? "passed" : "FAILED")  \(result.durationMilliseconds) ms"
                    + (result.message.map { "  \($0)" } ?? "") + "\n"
            }
            let verdict = failed.isEmpty
                ? "selftest: all \(report.results.count) languages passed\n"
                : "selftest: \(failed.count) of \(report.results.count) languages FAILED (their breakers open; their jobs get 503)\n"
            StandardStream.output.write(verdict + lines.joined())
        }
        return failed.isEmpty ? .healthy : .degraded
    }
}
