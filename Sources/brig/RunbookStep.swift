import ArgumentParser
import DaemonClient

/// A `brig runbook` subcommand: one request to the daemon, an exit status from RunbookExitCode. Failures are
/// one "brig: ..." line on stderr: a refusal (the daemon answered with an error) exits 2, no answer exits 3.
protocol RunbookStep: ParsableCommand {
    var options: ClientOptions { get }
    /// Seconds to wait for the daemon's answer.
    var timeout: Int { get }
    /// What the step is called in messages ("drain", "health check").
    static var stepName: String { get }

    func perform(with client: UnixHTTPClient) throws(ClientError) -> RunbookExitCode
    /// Says that the daemon could not be reached; returns the status to exit with.
    func unreachable(_ error: ClientError) -> RunbookExitCode
}

extension RunbookStep {
    func run() throws {
        var client = options.client
        client.answerTimeout = Int32(clamping: timeout * 1000)
        let status: RunbookExitCode
        do throws(ClientError) {
            status = try perform(with: client)
        } catch {
            if error.httpStatus != nil {
                StandardStream.error.write("brig: \(Self.stepName) refused: \(error.message)\n")
                status = .critical
            } else if error.exitCode == .usage {
                StandardStream.error.write("brig: \(error.message)\n")
                status = .usage
            } else {
                status = unreachable(error)
            }
        }
        if status != .healthy { throw ExitCode(status.rawValue) }
    }

    func unreachable(_ error: ClientError) -> RunbookExitCode {
        StandardStream.error.write("brig: \(Self.stepName): unreachable: \(error.message)\n")
        return .unreachable
    }

    func validateTimeout() throws {
        if timeout < 1 || timeout > 3600 { throw ValidationError("--timeout: give seconds between 1 and 3600, not \(timeout)") }
    }
}
