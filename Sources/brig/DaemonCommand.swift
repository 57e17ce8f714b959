import ArgumentParser
import DaemonClient

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
            ProcessExit.now(error.exitCode.rawValue)
        }
        if status != 0 { ProcessExit.now(status) }
    }

    /// With `--json`: the daemon's body on stdout, as one line.
    func printJSON(_ body: [UInt8]) {
        StandardStream.output.write(ClientJSON.line(body))
    }

    /// Reads a listing from the cursor `after`: one page, or with `all` every page to the end. Each page's body
    /// is printed with `--json` and each page handed to `take`; returns the cursor of the page after the last
    /// one read (nil at the end).
    func followPages<Page: Decodable>(
        _ client: UnixHTTPClient, after: String?, all: Bool, target: (_ after: String?) -> String,
        next: (Page) -> String?, take: (Page) -> Void
    ) throws(ClientError) -> String? {
        var cursor = after
        var more: String?
        repeat {
            let (page, body) = try client.send("GET", target(cursor), expecting: Page.self)
            if options.json { printJSON(body) }
            take(page)
            more = next(page)
            // A cursor that does not move would loop for ever.
            if let more, more == cursor { throw .protocolViolation("the page after \(more.debugDescription) has the same cursor") }
            cursor = more
        } while all && more != nil
        return more
    }
}
