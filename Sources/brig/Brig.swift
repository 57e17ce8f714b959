import API
import ArgumentParser

@main
struct Brig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A sandboxed code-execution service for Linux.",
        discussion: """
            brig runs untrusted programs in Linux namespaces with cgroup limits, a seccomp filter, no \
            capabilities and hard timeouts. It must run as root: it maps each sandbox to an unprivileged \
            host uid (60000 + slot) and manages cgroups.
            """,
        version: BrigVersion.current,
        subcommands: [
            ServeHandOff.self, RunCommand.self,
            ExecCommand.self, SubmitCommand.self, JobsCommand.self, StatusCommand.self, LogsCommand.self,
            CancelCommand.self, LanguagesCommand.self, ProfilesCommand.self, BenchHandOff.self,
            SessionCommand.self, MCPCommand.self, RunbookCommand.self,
        ]
    )

    /// `brig run` is parsed on its own: by `RunRequest(quickParsing:)` when its arguments are plain, else as a
    /// command of its own (reflecting the whole command tree and the completion script's options to find it
    /// cost ~1 ms more). Help and bad input take the whole way, whose messages name `brig run`.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == RunCommand.configuration.commandName {
            do {
                if let request = RunRequest(quickParsing: Array(arguments.dropFirst())) {
                    try request.run()
                }
                if let run = try? RunCommand.parseAsRoot(Array(arguments.dropFirst())) as? RunCommand {
                    try run.run()
                    return
                }
            } catch {
                RunCommand.exit(withError: error)
            }
        }
        await main(arguments)
    }
}
