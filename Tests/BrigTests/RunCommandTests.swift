import Foundation
import TestSupport
import Testing

/// `brig run` as a user runs it: the real executable, its output, its summary and its exit status.
@Suite(.ownThread) struct RunCommandTests {
    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The `brig` executable built beside this test bundle.
    static let executable: URL = {
        let bundle = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: bundle).deletingLastPathComponent().appendingPathComponent("brig")
    }()

    static func brig(_ arguments: [String], stdin: String? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin", "BRIG_RUNTIME_DIR": "/run/brig-test"]
        let output = Pipe(), errors = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }

    @Test func runsAProgramAndMirrorsItsExitCode() throws {
        let outcome = try Self.brig(["run", "--", "/bin/sh", "-c", "echo out; echo err >&2; exit 5"])
        #expect(outcome.status == 5)
        #expect(outcome.stdout == "out\n")
        #expect(outcome.stderr.hasPrefix("err\nbrig: exit_nonzero (exit code 5)"))
    }

    @Test func passesStdinThrough() throws {
        let outcome = try Self.brig(["run", "--", "/usr/bin/python3", "-c", "print(input()[::-1])"], stdin: "olleh\n")
        #expect(outcome.status == 0)
        #expect(outcome.stdout == "hello\n")
    }

    @Test func unreadStdinDoesNotKillBrig() throws {
        let outcome = try Self.brig(["run", "--", "/bin/true"], stdin: String(repeating: "x", count: 5 << 20))
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.hasPrefix("brig: ok"))
    }

    /// Its network namespace is made beside the clone (while the profile is read): only lo, which works.
    @Test func hasOnlyAWorkingLoopback() throws {
        let outcome = try Self.brig(["run", "--", "/usr/bin/python3", "-c", """
            import socket
            print(sorted(line.split(":")[0].strip() for line in open("/proc/net/dev").readlines()[2:]))
            listener = socket.socket()
            listener.bind(("127.0.0.1", 0))
            listener.listen(1)
            socket.create_connection(listener.getsockname(), timeout=2)
            print("loopback works")
            """])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout == "['lo']\nloopback works\n")
    }

    @Test func jsonHoldsTheWholeResult() throws {
        let outcome = try Self.brig(["run", "--json", "--", "/bin/sh", "-c", "printf hi"])
        #expect(outcome.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "ok")
        #expect(object["stdout"] as? String == "hi")
        #expect(object["stdout_bytes"] as? Int == 2)
        #expect(object["exit_code"] as? Int == 0)
        let time = try #require(object["time"] as? [String: Any])
        #expect((time["setup_ms"] as? Double ?? 0) > 0)
        #expect(outcome.stderr.isEmpty)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let arguments: [String]
        let status: Int32
        let summary: String
        var testDescription: String { label }
    }

    static let documentedExitCodes = [
        Case(label: "wall timeout", arguments: ["--wall-time", "500ms", "--", "sleep", "5"], status: 124, summary: "timeout (wall time limit 500ms)"),
        Case(label: "cpu timeout", arguments: ["--cpu-time", "300ms", "--", "/bin/sh", "-c", "while :; do :; done"], status: 124, summary: "timeout (cpu time limit 300ms)"),
        Case(label: "oom", arguments: ["--memory", "32MiB", "--", "/usr/bin/python3", "-c", "x = b'x' * (200 << 20)"], status: 123, summary: "oom (memory limit 32MiB)"),
        Case(label: "seccomp", arguments: ["--", "/usr/bin/python3", "-c", "import ctypes; ctypes.CDLL(None).ptrace(0, 0, 0, 0)"], status: 122, summary: "seccomp (forbidden system call: ptrace)"),
        Case(label: "output limit", arguments: ["--profile", "tiny", "--", "yes"], status: 121, summary: "output_limit"),
        Case(label: "signal", arguments: ["--", "/bin/sh", "-c", "kill -TERM $$"], status: 128 + 15, summary: "signaled (SIGTERM)"),
        Case(label: "not found", arguments: ["--", "no-such-program"], status: 127, summary: "internal_error (execve: cannot execute no-such-program"),
        Case(label: "above the maximum", arguments: ["--memory", "64GiB", "--", "true"], status: 78, summary: "memory: 64GiB is above the maximum"),
        Case(label: "unknown profile", arguments: ["--profile", "nope", "--", "true"], status: 78, summary: "no such profile (available: build, default, tiny)"),
        Case(label: "bad size", arguments: ["--memory", "lots", "--", "true"], status: 64, summary: "--memory: \"lots\" is not a size"),
    ]

    @Test(arguments: documentedExitCodes)
    func endsWithTheDocumentedExitCode(_ example: Case) throws {
        let outcome = try Self.brig(["run"] + example.arguments)
        #expect(outcome.status == example.status, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("brig: " + example.summary) || outcome.stderr.contains(example.summary), "\(outcome.stderr)")
    }

    @Test func missingCommandExplainsItself() throws {
        let outcome = try Self.brig(["run"])
        #expect(outcome.status == 64)
        #expect(outcome.stderr.contains("give the command to run after --"))
        // `run` is parsed apart from the other commands (Brig.main); its messages still name it `brig run`.
        #expect(outcome.stderr.contains("Usage: brig run "), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("See 'brig run --help'"), "\(outcome.stderr)")
    }

    @Test func aBadOptionValueIsAUsageErrorNamingTheOption() throws {
        let outcome = try Self.brig(["run", "--memory", "12x", "--", "/bin/true"])
        #expect(outcome.status == 64)
        #expect(outcome.stderr.contains("--memory"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("See 'brig run --help'"), "\(outcome.stderr)")
    }

    @Test func helpDocumentsTheExitCodes() throws {
        let outcome = try Self.brig(["run", "--help"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("USAGE: brig run "), "\(outcome.stdout.prefix(300))")
        for code in ["124", "123", "122", "121", "125", "127"] {
            #expect(outcome.stdout.contains(code))
        }
    }
}
