import ArgumentParser
import BrigCommandLine

/// A command that hands the process to an executable installed beside brig (`SiblingExecutable`), passing on
/// every argument after its own name.
protocol HandOffCommand: ParsableCommand {
    /// The executable beside brig, and the arguments that come before the passed-on ones.
    static var target: (executable: String, leading: [String]) { get }
    /// Everything after the command's name (captured for passthrough, `--help` included).
    var arguments: [String] { get }
}

extension HandOffCommand {
    func run() throws {
        throw SiblingExecutable.handOff(
            to: Self.target.executable, arguments: Self.target.leading + arguments,
            command: "brig \(Self.configuration.commandName ?? "")")
    }
}
