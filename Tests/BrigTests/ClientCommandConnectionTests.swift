import Foundation
import TestSupport
import Testing

/// What the client commands say when they cannot reach the daemon.
@Suite(.ownThread) struct ClientCommandConnectionTests {
    static let commands: [[String]] = [
        ["exec", "python", "-"], ["submit", "python", "-"], ["jobs"], ["status", "job-ok"], ["logs", "job-ok"],
        ["cancel", "job-ok"], ["languages"], ["profiles"],
    ]

    @Test(arguments: commands)
    func noDaemonIsExplained(_ command: [String]) throws {
        let socket = NSTemporaryDirectory() + "brig-client-absent-\(getpid()).sock"
        let run = try BrigInvocation.run(command + ["--socket", socket], stdin: "print(1)\n")
        #expect(run.status == 69)
        #expect(run.stderr == "brig: the daemon is not running (no socket at \(socket)); start it with `brig serve`\n")
        #expect(run.stdout.isEmpty)
    }

    @Test func theDefaultSocketComesFromTheEnvironment() throws {
        let socket = NSTemporaryDirectory() + "brig-client-env-\(getpid()).sock"
        let run = try BrigInvocation.run(["jobs"], environment: ["BRIG_SOCKET": socket])
        #expect(run.status == 69)
        #expect(run.stderr.contains("no socket at \(socket)"), "\(run.stderr)")
    }

    @Test func aStaleSocketFileIsADaemonThatIsNotRunning() throws {
        // A socket file nobody listens on (a daemon that died without removing it): ECONNREFUSED.
        let stale = NSTemporaryDirectory() + "brig-client-stale-\(getpid()).sock"
        defer { try? FileManager.default.removeItem(atPath: stale) }
        let bind = Process()
        bind.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        bind.arguments = ["-c", "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", stale]
        try bind.run()
        bind.waitUntilExit()
        try #require(bind.terminationStatus == 0)
        let run = try BrigInvocation.run(["languages", "--socket", stale])
        #expect(run.status == 69)
        #expect(run.stderr.contains("the daemon is not running (no socket at \(stale))"), "\(run.stderr)")
    }

    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func aSocketWithoutPermissionIsExplained() throws {
        let daemon = try FakeDaemon()
        defer { daemon.stop() }
        // The socket is 0660 root:root; nobody (65534) may not connect.
        let run = try BrigInvocation.run(
            ["languages", "--socket", daemon.socketPath],
            launcher: ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"])
        #expect(run.status == 77, "\(run.stderr)")
        #expect(run.stderr == "brig: permission denied on \(daemon.socketPath) (the socket is 0660: run as root or a member of its group)\n")
        #expect(daemon.requests.isEmpty)
    }

    @Test func aTooLongSocketPathIsNamed() throws {
        let socket = "/tmp/" + String(repeating: "s", count: 200)
        let run = try BrigInvocation.run(["jobs", "--socket", socket])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--socket"), "\(run.stderr)")
    }
}
