import API
import ArgumentParser
import DaemonClient
import Catalog
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// `brig session exec ID -- CMD...`: run one step in a session, print its output, exit with its exit code.
struct SessionExecCommand: DaemonCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a command in a session's workspace and wait for it: its output, then a summary.",
        discussion: """
            CMD runs as given (an argv, no shell) with /work as its working folder, or with --shell as one \
            /bin/sh -c line. The step's stdout and stderr are printed when it ends, then a one-line summary \
            on stderr. With --background the step keeps running after brig returns (a server a later step \
            talks to); brig prints its id.

            Exit status: as `brig exec` (the command's own code; 128+N for signal N; 124 timeout; 123 out of \
            memory; 122 forbidden system call; 121 output limit; 130 cancelled; 125 the sandbox failed or \
            the step was lost); 64 bad arguments or a request the daemon refused; 1 no such session; \
            69 the daemon is not running; 75 the daemon is busy; 77 no permission on the socket.

            Examples:
              brig session exec $ID -- gcc -o prog main.c
              echo 5 | brig session exec $ID -i -- ./prog
              brig session exec $ID --cwd tests --env DEBUG=1 --timeout 2m -- python3 -m pytest -q
              brig session exec $ID --shell -- 'make && ./prog > out.txt'
              brig session exec $ID --background -- python3 -m http.server 8000
            """
    )

    @OptionGroup var options: ClientOptions

    @OptionGroup var session: SessionIDArgument

    @Flag(name: [.customShort("i"), .customLong("stdin")], help: "Give brig's own stdin to the command (read to its end first).")
    var readStdin = false

    @Option(name: .customLong("env"), help: ArgumentHelp("An environment variable for the command (repeatable).", valueName: "K=V"))
    var environment: [String] = []

    @Option(help: ArgumentHelp("The working folder: /work or under it (default /work).", valueName: "path"))
    var cwd: String?

    @Option(help: ArgumentHelp("The step's wall-clock limit (e.g. 30s, 2m); the profile's when absent.", valueName: "duration"))
    var timeout: String?

    @Flag(help: "Start the command and return at once; it runs until it ends, is signalled, or the session ends.")
    var background = false

    @Flag(help: "Run CMD (its words joined by spaces) with /bin/sh -c instead of as an argv.")
    var shell = false

    @Argument(parsing: .postTerminator, help: ArgumentHelp("The command and its arguments, after --.", valueName: "cmd"))
    var command: [String] = []

    func validate() throws {
        if command.isEmpty { throw ValidationError("CMD: give the command after --, e.g. brig session exec ID -- make test") }
        for entry in environment {
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else {
                throw ValidationError("--env \(entry.debugDescription): expected NAME=value")
            }
        }
        if let timeout { try DurationArgument.check(timeout, option: "--timeout") }
        if let cwd {
            do {
                _ = try SessionPath(parsing: cwd)
            } catch {
                throw ValidationError("--cwd \(cwd.debugDescription): \(error.reason)")
            }
        }
    }

    func perform(with client: UnixHTTPClient) throws(ClientError) -> Int32 {
        let request = ExecRequest(
            cmd: shell ? .shell(command.joined(separator: " ")) : .argv(command),
            stdin: try input(), env: environmentVariables, cwd: try workingFolder(), timeout: timeout,
            background: background ? true : nil, wait: true)
        // A foreground step answers when it ends: as long as its time limit, which the daemon enforces.
        let (started, body) = try client.waiting(86_400_000).send(
            "POST", APITarget.exec(in: session.id), json: try ClientJSON.body(request), expecting: DaemonStep.self)
        if background {
            if options.json {
                printJSON(body)
            } else {
                StandardStream.output.write(started.id + "\n")
                StandardStream.error.write("brig: step \(started.index.map(String.init) ?? started.id) runs in the background (\(started.status))\n")
            }
            return 0
        }
        var step = started
        var stepBody = body
        // A daemon may answer before the step ends (202); then ask until it has.
        while step.isRunning {
            usleep(200_000)
            (step, stepBody) = try client.send("GET", APITarget.step(step.id, in: session.id), expecting: DaemonStep.self)
        }
        if options.json {
            printJSON(stepBody)
        } else {
            if let result = step.result {
                StandardStream.output.write(result.stdout.bytes)
                StandardStream.error.write(result.stderr.bytes)
            }
            StandardStream.error.write("brig: \(StepSummary(step: step).line)\n")
        }
        return StepSummary.exitCode(of: step)
    }

    private var environmentVariables: [String: String]? {
        guard !environment.isEmpty else { return nil }
        var variables: [String: String] = [:]
        for entry in environment {
            guard let equals = entry.firstIndex(of: "=") else { continue }
            variables[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
        }
        return variables
    }

    private func workingFolder() throws(ClientError) -> String? {
        guard let cwd else { return nil }
        do {
            return try SessionPath(parsing: cwd).description
        } catch {
            throw .usage("--cwd \(cwd.debugDescription): \(error.reason)")
        }
    }

    private func input() throws(ClientError) -> String? {
        guard readStdin else { return nil }
        guard let text = String(validating: FileContents.standardInput(), as: UTF8.self) else {
            throw .usage("--stdin: brig's stdin is not UTF-8 text, which the API needs")
        }
        return text
    }
}
