import ArgumentParser
import DaemonClient

/// `brig session rm ID...`: end sessions.
struct SessionRemoveCommand: DaemonCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "End sessions: their commands are killed and their workspaces removed.",
        discussion: """
            Examples:
              brig session rm $ID
              brig session rm s_0123 s_4567 --json
            """
    )

    @OptionGroup var options: ClientOptions

    @Argument(help: ArgumentHelp("The sessions' ids.", valueName: "id"))
    var ids: [String]

    func validate() throws {
        if ids.isEmpty || ids.contains("") { throw ValidationError("ID: give a session id (see `brig session list`)") }
    }

    func perform(with client: UnixHTTPClient) throws(ClientError) -> Int32 {
        for id in ids {
            let (session, body) = try client.send("DELETE", APITarget.session(id), expecting: DaemonSession.self)
            if options.json {
                printJSON(body)
            } else {
                let usage = session.usage?.steps.map { " after \($0) step\($0 == 1 ? "" : "s")" } ?? ""
                StandardStream.output.write("ended \(session.id)\(usage)\(session.endReason.map { " (\($0))" } ?? "")\n")
            }
        }
        return 0
    }
}
