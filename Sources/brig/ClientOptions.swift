import ArgumentParser
import DaemonClient

/// What every command that talks to the daemon takes: where the daemon is, and how to print its answers.
struct ClientOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The daemon's Unix socket.",
        discussion: "Default: $BRIG_SOCKET, then <checkout>/.brig/brig.sock when brig was built in a checkout, then /run/brig/brig.sock.",
        valueName: "path"))
    var socket: String = DefaultPaths.socket

    @Flag(help: "Print the daemon's JSON answers as they are, one object per line, instead of text for people.")
    var json = false

    var client: UnixHTTPClient { UnixHTTPClient(socketPath: socket) }

    func validate() throws {
        if socket.isEmpty { throw ValidationError("--socket: give the path of the daemon's socket") }
    }
}
