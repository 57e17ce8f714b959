import Foundation
import TestSupport
import Testing

/// `brig runbook` against a fake daemon in each state: the documented exit statuses and what people read.
@Suite(.ownThread) struct RunbookCommandTests {
    @Test(arguments: [("healthy", Int32(0)), ("degraded", 1), ("critical", 2)])
    func healthCheckExitsWithTheStatus(_ state: String, _ expected: Int32) throws {
        let daemon = try FakeAdminDaemon(state: state)
        defer { daemon.stop() }
        let run = try BrigInvocation.run(["runbook", "health-check", "--socket", daemon.socketPath])
        #expect(run.status == expected, "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.isEmpty)
        #expect(daemon.requestLines == ["GET /v1/admin/health"])
        #expect(run.stdout.contains("socket      \(daemon.socketPath)"))
    }

    @Test func healthyIsOneReassuringLineAndTheFacts() throws {
        let daemon = try FakeAdminDaemon(state: "healthy")
        defer { daemon.stop() }
        let run = try BrigInvocation.run(["runbook", "health-check", "--socket", daemon.socketPath])
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "brig is healthy: ready for work, every breaker closed, every self-test passing.")
        #expect(run.stdout.contains("  slots       1 busy, 3 free of 4\n"))
        #expect(run.stdout.contains("  queue       2 of 1000 waiting, the oldest for 3.5s\n"))
        #expect(run.stdout.contains("  disk        12 GiB free in /var/lib/brig (work stops below 512 MiB)\n"))
        #expect(!run.stdout.contains("  - "), "no problems are listed")
    }

    @Test func degradedNamesTheOpenBreakerAndTheFailingSelfTestWithTheirReasons() throws {
        let daemon = try FakeAdminDaemon(state: "degraded")
        defer { daemon.stop() }
        let run = try BrigInvocation.run(["runbook", "health-check", "--socket", daemon.socketPath])
        #expect(run.stdout.hasPrefix("brig is DEGRADED: it takes work, but not all of it will succeed:\n"))
        #expect(run.stdout.contains("  - breaker c: open for "))
        #expect(run.stdout.contains("after 5 consecutive failures: self-test: gcc exited 1; its jobs get 503\n"))
        #expect(run.stdout.contains("  - self-test c failed "))
        #expect(run.stdout.contains(": exit 1, expected output \"hello\"; `brig runbook selftest` runs it again\n"))
        #expect(run.stdout.contains("  errors      3 internal errors in 120 jobs finished in the last 5m\n"))
    }

    @Test func criticalSaysItCannotTakeWorkAndWhy() throws {
        let daemon = try FakeAdminDaemon(state: "critical")
        defer { daemon.stop() }
        let run = try BrigInvocation.run(["runbook", "health-check", "--socket", daemon.socketPath])
        #expect(run.status == 2)
        #expect(run.stdout.hasPrefix("brig is CRITICAL: it cannot take work:\n"))
        #expect(run.stdout.contains("  - emergency stop: every sandbox was killed and no work is taken; `brig runbook resume` takes work again\n"))
        #expect(run.stdout.contains("  - not ready: disk: 80 MiB free in /var/lib/brig, below 512 MiB\n"))
    }

    @Test func jsonIsTheReportOnOneLine() throws {
        let daemon = try FakeAdminDaemon(state: "degraded")
        defer { daemon.stop() }
        let run = try BrigInvocation.run(["runbook", "health-check", "--json", "--socket", daemon.socketPath])
        #expect(run.status == 1)
        #expect(run.stdout.filter { $0 == "\n" }.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "degraded")
        #expect((object["breakers"] as? [[String: Any]])?.count == 2)
    }

    @Test(arguments: [["health-check"], ["health-check", "--json"], ["drain"], ["resume"], ["emergency-stop"], ["reap"], ["selftest"]])
    func noDaemonIsUnreachable(_ command: [String]) throws {
        let socket = NSTemporaryDirectory() + "brig-runbook-absent-\(getpid()).sock"
        let run = try BrigInvocation.run(["runbook"] + command + ["--socket", socket])
        #expect(run.status == 3, "\(run.stdout)\(run.stderr)")
        let reason = "the daemon is not running (no socket at \(socket)); start it with `brig serve`"
        if command == ["health-check"] {
            #expect(run.stdout == "brig is UNREACHABLE: \(reason)\n")
        } else if command.contains("--json") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: String])
            #expect(object == ["status": "unreachable", "reason": reason])
        } else {
            #expect(run.stderr.hasPrefix("brig: "))
            #expect(run.stderr.hasSuffix(": unreachable: \(reason)\n"), "\(run.stderr)")
        }
    }

    @Test func aDaemonThatDoesNotAnswerInTimeIsUnreachable() throws {
        let daemon = try FakeAdminDaemon(state: "hung")
        defer { daemon.stop() }
        let run = try BrigInvocation.run(["runbook", "health-check", "--timeout", "1", "--socket", daemon.socketPath])
        #expect(run.status == 3)
        #expect(run.stdout == "brig is UNREACHABLE: the daemon at \(daemon.socketPath) did not answer within 1s\n")
    }

    @Test(arguments: [
        ("drain", "POST /v1/admin/drain", "drain: draining: new jobs get 503; 1 running and 2 queued go on\n"),
        ("resume", "POST /v1/admin/resume", "resume: taking work again\n"),
        ("emergency-stop", "POST /v1/admin/emergency-stop", "emergency stop: every running sandbox killed; no work until resume (3 sandboxes killed)\n"),
        ("reap", "POST /v1/admin/reap", "reap: removed 2 leftovers:\n  cgroup /sys/fs/cgroup/memory/brig/run-12-3\n  process 4242\n"),
        ("selftest", "POST /v1/admin/selftest", "selftest: all 2 languages passed\n  python  passed  110 ms\n  c       passed  420 ms\n"),
    ])
    func anActionThatIsDoneExits0AndSaysWhatHappened(_ command: String, _ request: String, _ output: String) throws {
        let daemon = try FakeAdminDaemon(state: "healthy")
        defer { daemon.stop() }
        let run = try BrigInvocation.run(["runbook", command, "--socket", daemon.socketPath])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == output)
        #expect(daemon.requestLines == [request])
    }

    @Test func aFailingSelfTestExits1AndNamesTheLanguage() throws {
        let daemon = try FakeAdminDaemon(state: "degraded")
        defer { daemon.stop() }
        let run = try BrigInvocation.run(["runbook", "selftest", "--socket", daemon.socketPath])
        #expect(run.status == 1)
        #expect(run.stdout.hasPrefix("selftest: 1 of 2 languages FAILED"))
        #expect(run.stdout.contains("  c       FAILED  420 ms  exit 1, expected output \"hello\"\n"))
    }

    @Test(arguments: ["drain", "resume", "emergency-stop", "reap", "selftest"])
    func aRefusedActionExits2WithTheDaemonsReason(_ command: String) throws {
        let daemon = try FakeAdminDaemon(state: "forbidden")
        defer { daemon.stop() }
        let run = try BrigInvocation.run(["runbook", command, "--socket", daemon.socketPath])
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.hasSuffix(" refused: only operators may drain (root, or a configured operator uid or group)\n"), "\(run.stderr)")
    }

    @Test func actionJSONIsTheDaemonsAnswer() throws {
        let daemon = try FakeAdminDaemon(state: "healthy")
        defer { daemon.stop() }
        let run = try BrigInvocation.run(["runbook", "emergency-stop", "--json", "--socket", daemon.socketPath])
        #expect(run.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["killed"] as? Int == 3)
    }

    @Test(arguments: [["runbook", "--help"], ["runbook", "health-check", "--help"], ["runbook", "drain", "--help"]])
    func helpDocumentsTheExitStatuses(_ arguments: [String]) throws {
        let run = try BrigInvocation.run(arguments)
        #expect(run.status == 0)
        for line in ["0  healthy", "1  degraded", "2  critical", "3  unreachable"] {
            #expect(run.stdout.contains(line), "\(line) in \(run.stdout)")
        }
    }

    @Test func aBadTimeoutIsAUsageError() throws {
        let run = try BrigInvocation.run(["runbook", "health-check", "--timeout", "0", "--socket", "/tmp/x.sock"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--timeout"))
    }
}
