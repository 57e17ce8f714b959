import ArgumentParser

/// `brig session`: persistent sandbox sessions, a workspace that lives across commands.
struct SessionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "Work in a persistent sandbox: a workspace kept across commands, files in and out.",
        discussion: """
            A session owns a workspace (/work) that lives until it is removed, its lifetime (--ttl) ends or \
            it is idle too long (--idle-ttl). Each command runs sandboxed in fresh namespaces and cgroup with \
            the workspace mounted read-write at /work; background commands keep running between steps.

            Examples:
              ID=$(brig session create --profile build main.c Makefile)
              brig session exec $ID -- make
              brig session exec $ID --shell -- './prog < input.txt'
              brig session cp ./tests $ID:tests/
              brig session cp $ID:build ./build
              brig session ls $ID
              brig session rm $ID
            """,
        subcommands: [
            SessionCreateCommand.self, SessionExecCommand.self, SessionCopyCommand.self,
            SessionListFilesCommand.self, SessionRemoveCommand.self, SessionListCommand.self,
        ]
    )
}
