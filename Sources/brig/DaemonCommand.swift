import ArgumentParser

/// A subcommand that talks to the daemon. Its failures are printed as one "brig: ..." line on stderr and
/// end brig with the error's exit status, instead of ArgumentParser's "Error: ..." and usage text.
protocol DaemonCommand: ParsableCommand {
    var options: ClientOptions { get }

    /// Does the work; returns brig's exit status.
    func perform(with client: UnixHTTPClient) throws(ClientError) -> Int32
}

extension DaemonCommand {
    func run() throws {
        let status: Int32
        do throws(ClientError) {
            status = try perform(with: options.client)
        } catch {
            StandardStream.error.write("brig: \(error.message)\n")
            throw ExitCode(error.exitCode.rawValue)
        }
        if status != 0 { throw ExitCode(status) }
    }

    /// With `--json`: the daemon's body on stdout, as one line.
    func printJSON(_ body: [UInt8]) {
        StandardStream.output.write(ClientJSON.line(body))
    }
}
