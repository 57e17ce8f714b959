import ArgumentParser

/// `brig serve`: hands the process to `brig-daemon serve`, installed beside brig. The daemon's server stack and
/// store (Hummingbird, SwiftNIO, GRDB) live in that executable alone: every other brig command starts without
/// loading them, `brig run` among them.
struct ServeHandOff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the daemon: code jobs over a local Unix socket, results in SQLite.",
        discussion: "Runs brig-daemon serve from brig's own folder; `brig serve --help` shows its options."
    )

    @Argument(parsing: .captureForPassthrough, help: "The daemon's options (see brig serve --help).")
    var arguments: [String] = []

    func run() throws {
        throw SiblingExecutable.handOff(to: "brig-daemon", arguments: ["serve"] + arguments, command: "brig serve")
    }
}
