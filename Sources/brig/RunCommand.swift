import ArgumentParser
import BrigCommandLine
import Catalog
import DaemonClient
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Sandbox

/// `brig run`: one program in one sandbox, here and now, without a daemon (like `bwrap` or `nsjail -Mo`).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        // Parsed on its own (see Brig.main), it still calls itself `brig run` (and skips the completion
        // script's options, which only the root has).
        _superCommandName: "brig",
        abstract: "Run one command in a sandbox and report how it ended.",
        discussion: """
            The program's stdout and stderr pass through as it writes them (up to the profile's output cap); \
            a one-line summary follows on stderr. stdin is passed on when it is not a terminal.

            Exit status: the program's own exit code; 128+N when signal N ended it; 124 on a wall or CPU \
            timeout; 123 when it ran out of memory; 122 when it made a forbidden system call; 121 when it \
            passed the output limit with output_overflow = "kill"; 130 when brig run was interrupted; \
            126 or 127 when the command cannot be executed or is not found; 125 when the sandbox itself \
            failed; 64 for bad options; 78 for a bad profile or image file; 77 when not run as root.

            Examples:
              brig run -- /usr/bin/python3 -c 'print(42)'
              brig run --profile tiny --memory 32MiB --json -- /bin/sh -c 'echo hi'
              brig run --wall-time 2s -- /bin/sh -c 'sleep 5'
            """
    )

    @OptionGroup var catalogOptions: CatalogOptions

    @Option(help: "The resource profile (a file in the catalog's profiles/).")
    var profile = "default"

    @Option(help: "The sandbox image (a folder in the catalog's sandbox-images/).")
    var image = "host"

    @OptionGroup var limitOptions: LimitOptions

    @Option(name: [.customShort("e"), .customLong("env")], help: "Set an environment variable (KEY=VALUE); repeatable.")
    var environment: [String] = []

    @Flag(help: "Print the whole result as one JSON object on stdout (the program's output inside it).")
    var json = false

    @Option(name: .customLong("runtime-dir"), help: "Where slot locks and workspaces live.")
    var runtimeDirectory = RunRequest.defaultRuntimeDirectory

    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments, after --.")
    var command: [String] = []

    mutating func validate() throws {
        // Passthrough capture takes a leading --help as the command; before a --, it is a request for help.
        if command.first == "--help" || command.first == "-h" { throw CleanExit.helpRequest(self) }
        if command.first == "--" { command.removeFirst() }
        if command.isEmpty { throw ValidationError("give the command to run after --, e.g. brig run -- /bin/echo hi") }
        try RunRequest.checkEnvironment(environment)
    }

    func run() throws {
        try request.run()
    }

    /// The parsed options as `RunRequest(quickParsing:)` gives them.
    var request: RunRequest {
        get throws(ValidationError) {
            RunRequest(
                catalog: catalogOptions.catalog, profile: profile, image: image,
                overrides: try limitOptions.overrides(), environment: environment, json: json,
                runtimeDirectory: runtimeDirectory, command: command)
        }
    }
}
