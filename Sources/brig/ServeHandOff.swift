import ArgumentParser

/// `brig serve`: hands the process to `brig-daemon serve`, installed beside brig. The daemon's server stack and
/// store (Hummingbird, SwiftNIO, GRDB) live in that executable alone: every other brig command starts without
/// loading them, `brig run` among them.
struct ServeHandOff: HandOffCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the daemon: code jobs over a local Unix socket, results in SQLite.",
        discussion: "Runs brig-daemon serve from brig's own folder; `brig serve --help` shows its options."
    )

    @Argument(parsing: .captureForPassthrough, help: "The daemon's options (see brig serve --help).")
    var arguments: [String] = []

    static let target = (executable: "brig-daemon", leading: ["serve"])
}
