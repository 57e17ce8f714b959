import Foundation
import Testing
#if canImport(Glibc)
import Glibc
import TestSupport
#endif

/// `brig session create|exec|cp|ls|rm|list` against the fake daemon: what they send, print, and exit with.
@Suite(.ownThread) struct ClientCommandSessionTests {
    /// A session created with `brig session create`, as a user would; its id.
    static func createSession(_ daemon: FakeDaemon, _ extra: [String] = []) throws -> String {
        let run = try BrigInvocation.run(["session", "create", "--socket", daemon.socketPath] + extra)
        try #require(run.status == 0, "\(run.stderr)")
        return run.stdout.trimmingCharacters(in: .newlines)
    }

    static func write(_ daemon: FakeDaemon, _ relative: String, _ bytes: [UInt8]) throws -> String {
        let path = daemon.directory + "/" + relative
        try FileManager.default.createDirectory(
            atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func createSendsOptionsAndFilesAndPrintsOnlyTheID() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let text = try Self.write(daemon, "up/a.txt", Array("alpha\n".utf8))
        _ = try Self.write(daemon, "up/src/main.c", Array("int main(){}\n".utf8))
        _ = try Self.write(daemon, "up/src/blob", [0xff, 0x00, 0xfe])
        chmod(try Self.write(daemon, "up/src/build.sh", Array("make\n".utf8)), 0o755)
        let run = try BrigInvocation.run([
            "session", "create", "--socket", daemon.socketPath, "--image", "host", "--profile", "tiny", "--ttl", "1h",
            "--idle-ttl", "10m", text, daemon.directory + "/up/src",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "s_000000000000000000000001\n")
        let body = try #require(daemon.requests.first?.body)
        #expect(body["image"] as? String == "host")
        #expect(body["profile"] as? String == "tiny")
        #expect(body["ttl"] as? String == "1h")
        #expect(body["idle_ttl"] as? String == "10m")
        let files = try #require(body["files"] as? [[String: String]])
        let byPath = Dictionary(uniqueKeysWithValues: files.map { ($0["path"] ?? "", $0) })
        #expect(byPath["a.txt"] == ["path": "a.txt", "content": "alpha\n"])
        #expect(byPath["src/main.c"] == ["path": "src/main.c", "content": "int main(){}\n"])
        #expect(byPath["src/blob"] == ["path": "src/blob", "content": "/wD+", "encoding": "base64"])
        #expect(files.count == 4)
        // An executable is written again with its mode, which the request's files cannot carry.
        #expect(byPath["src/build.sh"]?["content"] == "make\n")
        #expect(daemon.requestLines.dropFirst().elementsEqual(["PUT /v1/sessions/s_000000000000000000000001/files/src/build.sh?mode=0755"]))
    }

    @Test func createRefusesABadDurationBeforeAskingTheDaemon() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let run = try BrigInvocation.run(["session", "create", "--socket", daemon.socketPath, "--idle-ttl", "soon"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--idle-ttl: \"soon\" is not a duration"), "\(run.stderr)")
        #expect(daemon.requests.isEmpty)
    }

    struct Ending: Sendable, CustomTestStringConvertible {
        let command: [String]
        let status: Int32
        let stdout: String
        let stderr: [String]
        var testDescription: String { command.joined(separator: " ") }
    }

    static let endings = [
        Ending(command: ["echo", "built", "ok"], status: 0, stdout: "built ok\n", stderr: ["brig: step 1: ok · wall 12.5ms"]),
        Ending(command: ["false"], status: 1, stdout: "", stderr: ["failed\n", "brig: step 1: exit_nonzero (exit code 1)"]),
        Ending(command: ["sleep", "100"], status: 124, stdout: "", stderr: ["brig: step 1: timeout (wall time limit) · wall 2.00s"]),
    ]

    @Test(arguments: endings)
    func execPrintsTheOutputAndExitsLikeTheStep(_ ending: Ending) throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let id = try Self.createSession(daemon)
        let run = try BrigInvocation.run(["session", "exec", id, "--socket", daemon.socketPath, "--"] + ending.command)
        #expect(run.status == ending.status, "\(run.stderr)")
        #expect(run.stdout == ending.stdout)
        var rest = run.stderr[...]
        for part in ending.stderr {
            let found = try #require(rest.range(of: part), "\(part.debugDescription) not in order in \(run.stderr.debugDescription)")
            rest = rest[found.upperBound...]
        }
        let body = try #require(daemon.requests.last?.body)
        #expect(body["cmd"] as? [String] == ending.command)
        #expect(body["wait"] as? Bool == true)
        #expect(body["stdin"] == nil && body["env"] == nil && body["cwd"] == nil && body["background"] == nil)
    }

    @Test func execSendsStdinEnvironmentFolderAndTimeout() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let id = try Self.createSession(daemon)
        let run = try BrigInvocation.run(
            ["session", "exec", id, "--socket", daemon.socketPath, "-i", "--env", "A=1", "--env", "B=x=y", "--cwd", "src",
             "--timeout", "30s", "--", "cat"],
            stdin: "fed in\n")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "fed in\n")
        let body = try #require(daemon.requests.last?.body)
        #expect(body["stdin"] as? String == "fed in\n")
        #expect(body["env"] as? [String: String] == ["A": "1", "B": "x=y"])
        #expect(body["cwd"] as? String == "/work/src")
        #expect(body["timeout"] as? String == "30s")
    }

    @Test func execRunsAShellLineOrInTheBackground() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let id = try Self.createSession(daemon)
        let shell = try BrigInvocation.run(["session", "exec", id, "--socket", daemon.socketPath, "--shell", "--", "make", "&&", "./prog"])
        #expect(shell.status == 0, "\(shell.stderr)")
        #expect(shell.stdout == "sh: make && ./prog\n")
        #expect(daemon.requests.last?.body?["cmd"] as? String == "make && ./prog")
        let background = try BrigInvocation.run(["session", "exec", id, "--socket", daemon.socketPath, "--background", "--", "server"])
        #expect(background.status == 0, "\(background.stderr)")
        #expect(background.stdout == "st_000000000000000000000002\n")
        #expect(background.stderr.contains("runs in the background"), "\(background.stderr)")
        #expect(daemon.requests.last?.body?["background"] as? Bool == true)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        let status: Int32
        let message: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let refusals = [
        Refusal(arguments: ["exec", "s_missing", "--", "ls"], status: 1, message: "session s_missing does not exist"),
        Refusal(arguments: ["exec", "s_1", "--cwd", "/etc", "--", "ls"], status: 64, message: "outside the workspace"),
        Refusal(arguments: ["exec", "s_1", "--env", "=x", "--", "ls"], status: 64, message: "--env \"=x\": expected NAME=value"),
        Refusal(arguments: ["exec", "s_1"], status: 64, message: "CMD: give the command after --"),
        Refusal(arguments: ["cp", "s_1:../x", "."], status: 64, message: "contains \"..\""),
        Refusal(arguments: ["cp", "a", "b"], status: 64, message: "both local"),
        Refusal(arguments: ["ls", "s_missing"], status: 1, message: "session s_missing does not exist"),
        Refusal(arguments: ["rm", "s_missing"], status: 1, message: "session s_missing does not exist"),
        Refusal(arguments: ["list", "--state", "sleeping"], status: 64, message: "expected one of active, ended, expired"),
    ]

    @Test(arguments: refusals)
    func refusalsNameTheCauseAndExitLikeTheOtherCommands(_ refusal: Refusal) throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        // The socket right after the subcommand: after --, it would be part of the command.
        let arguments = ["session", refusal.arguments[0], "--socket", daemon.socketPath] + refusal.arguments.dropFirst()
        let run = try BrigInvocation.run(arguments)
        #expect(run.status == refusal.status, "\(run.stderr)")
        #expect(run.stderr.contains(refusal.message), "\(run.stderr)")
    }

    @Test func aMissingDaemonExits69() throws {
        let run = try BrigInvocation.run(["session", "list", "--socket", NSTemporaryDirectory() + "brig-none-\(getpid())/brig.sock"])
        #expect(run.status == 69)
        #expect(run.stderr.contains("the daemon is not running"), "\(run.stderr)")
    }

    @Test func cpCopiesFilesAndFoldersBothWays() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let id = try Self.createSession(daemon)
        let script = try Self.write(daemon, "here/run.sh", Array("echo hi\n".utf8))
        chmod(script, 0o755)
        _ = try Self.write(daemon, "here/src/main.c", Array("int main(){}\n".utf8))
        _ = try Self.write(daemon, "here/src/lib/util.h", [0x01, 0xff])
        let socket = ["--socket", daemon.socketPath]

        // A file into /work, keeping its mode; a folder under an existing-or-named folder, through the archive.
        var run = try BrigInvocation.run(["session", "cp", script, "\(id):"] + socket)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(daemon.requestLines.last == "PUT /v1/sessions/\(id)/files/run.sh?mode=0755")
        run = try BrigInvocation.run(["session", "cp", daemon.directory + "/here/src", "\(id):project/"] + socket)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(daemon.requestLines.last == "PUT /v1/sessions/\(id)/archive")

        run = try BrigInvocation.run(["session", "ls", id, "project/src", "--recursive"] + socket)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("project/src/main.c"), "\(run.stdout)")
        #expect(run.stdout.contains("project/src/lib/util.h"), "\(run.stdout)")

        // Back out: a file to a new name, a folder into an existing local folder.
        run = try BrigInvocation.run(["session", "cp", "\(id):/work/project/src/main.c", daemon.directory + "/main-copy.c"] + socket)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.contents(atPath: daemon.directory + "/main-copy.c") == Data("int main(){}\n".utf8))
        let down = daemon.directory + "/down"
        try FileManager.default.createDirectory(atPath: down, withIntermediateDirectories: false)
        run = try BrigInvocation.run(["session", "cp", "\(id):project", down] + socket)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.contents(atPath: down + "/project/src/main.c") == Data("int main(){}\n".utf8))
        #expect(FileManager.default.contents(atPath: down + "/project/src/lib/util.h") == Data([0x01, 0xff]))
        #expect(!FileManager.default.fileExists(atPath: down + "/project/run.sh"), "only the folder asked for is copied")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: down).filter { $0.hasPrefix(".brig-cp") }
        #expect(leftovers.isEmpty)
    }

    @Test func lsShowsModesSizesAndTypes() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let id = try Self.createSession(daemon)
        let script = try Self.write(daemon, "run.sh", Array("echo hi\n".utf8))
        chmod(script, 0o755)
        _ = try BrigInvocation.run(["session", "cp", script, "\(id):bin/run.sh", "--socket", daemon.socketPath])
        var run = try BrigInvocation.run(["session", "ls", id, "--socket", daemon.socketPath])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("MODE") == true)
        #expect(lines.contains { $0.hasPrefix("drwxr-xr-x") && $0.hasSuffix("bin/") }, "\(run.stdout)")
        run = try BrigInvocation.run(["session", "ls", id, "bin/run.sh", "--socket", daemon.socketPath])
        #expect(run.status == 0, "\(run.stderr)")
        let entry = try #require(run.stdout.split(separator: "\n").last.map(String.init))
        #expect(entry.hasPrefix("-rwxr-xr-x  8 "), "\(run.stdout)")
        #expect(entry.hasSuffix("bin/run.sh"))
        run = try BrigInvocation.run(["session", "ls", id, "bin", "--json", "--socket", daemon.socketPath])
        let listing = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect((listing["entries"] as? [[String: Any]])?.first?["mode"] as? String == "0755")
    }

    @Test func listShowsSessionsAndRmEndsOne() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        let id = try Self.createSession(daemon, ["--profile", "tiny"])
        _ = try BrigInvocation.run(["session", "exec", id, "--socket", daemon.socketPath, "--", "echo"])
        var run = try BrigInvocation.run(["session", "list", "--socket", daemon.socketPath])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = run.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.first == ["ID", "STATE", "PROFILE", "IMAGE", "STEPS", "RUNNING", "AGE", "ENDS"])
        #expect(rows.contains { $0.prefix(5) == [id, "active", "tiny", "host", "1"] && $0.contains("in") }, "\(run.stdout)")
        #expect(rows.contains { $0.first == "s_0000000000000000000000ed" && $0[1] == "ended" && $0.last == "deleted" }, "\(run.stdout)")

        run = try BrigInvocation.run(["session", "rm", id, "--socket", daemon.socketPath])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "ended \(id) after 1 step (deleted)\n")
        #expect(daemon.requestLines.last == "DELETE /v1/sessions/\(id)")

        run = try BrigInvocation.run(["session", "list", "--state", "active", "--json", "--socket", daemon.socketPath])
        #expect(run.status == 0, "\(run.stderr)")
        let page = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect((page["sessions"] as? [Any])?.isEmpty == true)
        #expect(daemon.requestLines.last == "GET /v1/sessions?state=active")
    }

    @Test func helpShowsExamples() throws {
        for command in ["create", "exec", "cp", "ls", "rm", "list"] {
            let run = try BrigInvocation.run(["session", command, "--help"])
            #expect(run.status == 0)
            #expect(run.stdout.contains("brig session \(command)"), "\(command): \(run.stdout)")
        }
    }
}
