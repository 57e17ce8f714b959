import ArgumentParser

/// The job a client command is about.
struct JobIDArgument: ParsableArguments {
    @Argument(help: "The job's id (from `brig submit` or `brig jobs`).")
    var id: String

    func validate() throws {
        if id.isEmpty { throw ValidationError("ID: give a job id (see `brig jobs`)") }
    }
}
