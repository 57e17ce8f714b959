import Foundation
import Testing
#if canImport(Glibc)
import Glibc
import TestSupport
#endif

/// `brig exec` and `brig submit` against a fake daemon: what they send, what they print, how they exit.
@Suite(.ownThread) struct ClientCommandExecTests {
    /// A source file in the daemon's folder (removed with it).
    static func sourceFile(_ daemon: FakeDaemon, _ name: String, _ content: String) throws -> String {
        let path = daemon.directory + "/" + name
        try content.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func execSendsTheJobAndStreamsItsOutput() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let source = try Self.sourceFile(daemon, "hello.py", "print('hello')\n")
        let input = try Self.sourceFile(daemon, "input.txt", "some input\n")
        let run = try BrigInvocation.run([
            "exec", "python", source, "--socket", daemon.socketPath, "--stdin-file", input, "--profile", "tiny",
            "--memory", "64MiB", "--wall-time", "2s", "--", "first", "second arg",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        // Text and base64 chunks, in order, on stdout; the program's stderr on stderr, before the summary.
        #expect(run.stdout == "hello\nbytes\n")
        #expect(run.stderr == "warn\nbrig: ok · wall 12.5ms · cpu 5.0ms · memory 3MiB · setup 1.5ms\n")
        #expect(daemon.requestLines == ["POST /v1/jobs", "GET /v1/jobs/job-ok/events"])
        let post = try #require(daemon.requests.first)
        #expect(post.host == "brig")
        #expect(post.contentType == "application/json")
        let body = try #require(post.body)
        #expect(body["language"] as? String == "python")
        #expect(body["source"] as? String == "print('hello')\n")
        #expect(body["stdin"] as? String == "some input\n")
        #expect(body["args"] as? [String] == ["first", "second arg"])
        #expect(body["profile"] as? String == "tiny")
        #expect(body["wait"] as? Bool == false)
        #expect(body["limits"] as? [String: String] == ["memory": "64MiB", "wall_time": "2s"])
    }

    @Test func execReadsTheSourceFromStdin() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let run = try BrigInvocation.run(["exec", "python", "-", "--socket", daemon.socketPath], stdin: "print(1)\n")
        #expect(run.status == 0, "\(run.stderr)")
        let body = try #require(daemon.requests.first?.body)
        #expect(body["source"] as? String == "print(1)\n")
        // stdin carried the source: the program gets none, and nothing optional is sent empty.
        #expect(body["stdin"] == nil)
        #expect(body["args"] == nil)
        #expect(body["limits"] == nil)
        #expect(body["profile"] == nil)
    }

    @Test func execPassesPipedStdinToTheProgram() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let source = try Self.sourceFile(daemon, "rev.py", "print(input()[::-1])\n")
        let run = try BrigInvocation.run(["exec", "python", source, "--socket", daemon.socketPath], stdin: "olleh\n")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(daemon.requests.first?.body?["stdin"] as? String == "olleh\n")
    }

    struct Ending: Sendable, CustomTestStringConvertible {
        let language: String
        let status: Int32
        let stdout: String
        /// What stderr holds, in this order.
        let stderr: [String]
        var testDescription: String { language }
    }

    static let endings = [
        // An event split across two chunks, and an SSE comment line.
        Ending(language: "bash", status: 3, stdout: "partial\n", stderr: ["brig: exit_nonzero (exit code 3) · wall 12.5ms"]),
        // The compiler's output (streamed as a compile-step chunk) once, then the summary; exit status 1.
        Ending(language: "c", status: 1, stdout: "",
               stderr: ["prog.c:1:1: error: expected ';'\n", "brig: compile_error (compiler exit code 1) · wall 80.0ms"]),
        // Only an "end" event: the output comes from the stored result.
        Ending(language: "ruby", status: 0, stdout: "stored out\n", stderr: ["stored err\n", "brig: ok"]),
        Ending(language: "perl", status: 124, stdout: "", stderr: ["brig: timeout (wall time limit) · wall 2.00s"]),
    ]

    @Test(arguments: endings)
    func execEndsLikeTheJob(_ ending: Ending) throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let source = try Self.sourceFile(daemon, "program", "source\n")
        let run = try BrigInvocation.run(["exec", ending.language, source, "--socket", daemon.socketPath])
        #expect(run.status == ending.status, "\(run.stderr)")
        #expect(run.stdout == ending.stdout)
        var rest = run.stderr[...]
        for part in ending.stderr {
            let found = try #require(rest.range(of: part), "\(part.debugDescription) not in order in \(run.stderr.debugDescription)")
            rest = rest[found.upperBound...]
        }
        #expect(run.stderr.components(separatedBy: "expected ';'").count <= 2, "compiler output printed twice")
    }

    @Test func execPrintsOutputBeforeTheJobEnds() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let source = try Self.sourceFile(daemon, "slow.js", "console.log('tick')\n")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BrigInvocation.executable)
        process.arguments = ["exec", "javascript", source, "--socket", daemon.socketPath]
        process.environment = BrigInvocation.environment()
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        defer {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        // The daemon holds the job's end until the gate opens: "tick" must arrive while brig still waits.
        let first = output.fileHandleForReading.availableData
        #expect(String(decoding: first, as: UTF8.self) == "tick\n")
        #expect(process.isRunning)
        daemon.openGate()
        let rest = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(rest.isEmpty)
        #expect(process.terminationStatus == 0)
    }

    @Test func interruptCancelsTheJob() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let source = try Self.sourceFile(daemon, "slow.js", "for (;;) {}\n")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BrigInvocation.executable)
        process.arguments = ["exec", "javascript", source, "--socket", daemon.socketPath]
        process.environment = BrigInvocation.environment()
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        defer {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        #expect(String(decoding: output.fileHandleForReading.availableData, as: UTF8.self) == "tick\n")
        kill(process.processIdentifier, SIGINT)
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130, "\(stderr)")
        #expect(stderr.contains("brig: cancelled"), "\(stderr)")
        #expect(stderr.contains("cancelled by its owner"), "\(stderr)")
        #expect(daemon.requestLines == ["POST /v1/jobs", "GET /v1/jobs/job-slow/events", "DELETE /v1/jobs/job-slow"])
    }

    @Test func execShowsElapsedTimeOnATerminal() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let source = try Self.sourceFile(daemon, "slow.js", "console.log('tick')\n")
        // script(1) gives brig a pseudo-terminal for stdin, stdout and stderr, and copies what it shows.
        let command = [BrigInvocation.executable, "exec", "javascript", source, "--socket", daemon.socketPath]
            .map { "'\($0)'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", command, "/dev/null"]
        process.environment = BrigInvocation.environment()
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = Pipe()
        try process.run()
        defer {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        var shown = Data()
        let deadline = Date().addingTimeInterval(20)
        // Wait until the running time has been redrawn a few times, then let the job end.
        while Date() < deadline && String(decoding: shown, as: UTF8.self).components(separatedBy: "brig: running").count < 4 {
            shown += output.fileHandleForReading.availableData
        }
        daemon.openGate()
        shown += output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: shown, as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(text.debugDescription)")
        // Redrawn in place: carriage return, erase line, the new time.
        #expect(text.contains("\r\u{1B}[2Kbrig: running 0."), "\(text.debugDescription)")
        // Cleared before the summary, which starts a clean line.
        #expect(text.contains("\r\u{1B}[2Kbrig: ok · wall"), "\(text.debugDescription)")
    }

    @Test func execJSONPrintsTheFinishedJobOnOneLine() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let source = try Self.sourceFile(daemon, "bad.sh", "exit 3\n")
        let run = try BrigInvocation.run(["exec", "bash", source, "--socket", daemon.socketPath, "--json"])
        #expect(run.status == 3)
        #expect(run.stderr.isEmpty, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let job = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(job["id"] as? String == "job-exit3")
        #expect((job["result"] as? [String: Any])?["exit_code"] as? Int == 3)
    }

    @Test func submitPrintsTheJobID() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let source = try Self.sourceFile(daemon, "hello.py", "print('hello')\n")
        let run = try BrigInvocation.run(["submit", "python", source, "--socket", daemon.socketPath, "--cpus", "0.5", "--pids", "8"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "job-ok\n")
        #expect(daemon.requestLines == ["POST /v1/jobs"])
        let body = try #require(daemon.requests.first?.body)
        #expect(body["wait"] as? Bool == false)
        let limits = try #require(body["limits"] as? [String: Any])
        #expect(limits["cpus"] as? Double == 0.5)
        #expect(limits["pids"] as? Int == 8)
    }

    @Test func submitJSONPrintsTheDaemonsAnswer() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let source = try Self.sourceFile(daemon, "hello.py", "print('hello')\n")
        let run = try BrigInvocation.run(["submit", "python", source, "--socket", daemon.socketPath, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let job = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(job["id"] as? String == "job-ok")
        #expect(job["status"] as? String == "queued")
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let language: String
        let status: Int32
        let message: String
        var testDescription: String { language }
    }

    @Test(arguments: [
        Refusal(language: "cobol", status: 64, message: "brig: no language \"cobol\" (available: c, python) (field: language)\n"),
        Refusal(language: "busy", status: 75, message: "brig: the queue is full; try again in 3s\n"),
    ])
    func daemonRefusalsAreShownAsTheirMessage(_ refusal: Refusal) throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let source = try Self.sourceFile(daemon, "program", "x\n")
        for command in ["exec", "submit"] {
            let run = try BrigInvocation.run([command, refusal.language, source, "--socket", daemon.socketPath])
            #expect(run.status == refusal.status)
            #expect(run.stderr == refusal.message)
            #expect(run.stdout.isEmpty)
        }
    }

    struct BadArguments: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        let message: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    @Test(arguments: [
        BadArguments(arguments: ["python", "/nonexistent/hello.py"], message: "FILE \"/nonexistent/hello.py\": No such file or directory"),
        BadArguments(arguments: ["python", "/tmp"], message: "FILE \"/tmp\": is a folder, not a file"),
        BadArguments(arguments: ["python", "-", "--memory", "lots"], message: "--memory: \"lots\" is not a size"),
        BadArguments(arguments: ["python", "-", "--wall-time", "soon"], message: "--wall-time:"),
        BadArguments(arguments: ["python", "-", "--stdin-file", "-"], message: "--stdin-file -: stdin already carries the source"),
        BadArguments(arguments: ["python", "-", "--stdin-file", "/nonexistent/in"], message: "--stdin-file \"/nonexistent/in\": No such file or directory"),
        BadArguments(arguments: ["python"], message: "Missing expected argument '<file|->'"),
    ])
    func badArgumentsAreNamed(_ example: BadArguments) throws {
        // No daemon needed: these fail before brig connects.
        let run = try BrigInvocation.run(["exec"] + example.arguments + ["--socket", "/nonexistent/brig.sock"], stdin: "print(1)\n")
        #expect(run.status == 64, "\(run.stderr)")
        #expect(run.stderr.contains(example.message), "\(run.stderr)")
    }
}
