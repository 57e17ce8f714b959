import API
import ArgumentParser

/// The daemon's executable: `brig serve` and `brig bench` hand the process to it (see `ServeHandOff`). It
/// answers to `brig`, the name its users type.
@main
struct BrigDaemon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "brig",
        abstract: "brig's daemon and its benchmark (run through `brig serve` and `brig bench`).",
        version: BrigVersion.current,
        subcommands: [ServeCommand.self, BenchCommand.self]
    )
}
