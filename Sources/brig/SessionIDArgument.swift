import ArgumentParser

/// The session a `brig session` command is about.
struct SessionIDArgument: ParsableArguments {
    @Argument(help: ArgumentHelp("The session's id (from `brig session create` or `brig session list`).", valueName: "id"))
    var id: String

    func validate() throws {
        if id.isEmpty { throw ValidationError("ID: give a session id (see `brig session list`)") }
    }
}
