import Foundation
import TestSupport
import Testing
@testable import Sandbox

/// Runaway programs end with the status that names the limit, and take every process with them.
@Suite(.ownThread) struct LimitTests {
    @Test func forkBombIsContainedByThePidsLimit() throws {
        var limits = SandboxFixture.limits
        limits.pids = 32
        limits.wallTime = .seconds(3)
        let marker = "brigbomb\(getpid())"
        let result = try SandboxFixture.run(
            ["/bin/bash", "-c", "exec -a \(marker) /bin/bash -c 'bomb() { bomb | bomb & }; bomb; sleep 60'"], limits: limits)
        #expect(result.status == .timeout)
        #expect(result.timeoutLimit == .wall)
        #expect(result.pidsLimitHit)
        #expect(Self.hostProcesses(named: marker).isEmpty)
        // The host, and the next sandbox, still fork.
        let probe = try SandboxFixture.shell("echo alive")
        #expect(probe.stdout.text == "alive\n")
    }

    @Test func memoryHogEndsAsOOM() throws {
        var limits = SandboxFixture.limits
        limits.memoryBytes = 64 << 20
        let result = try SandboxFixture.python("x = b'x' * (512 << 20)\nprint('survived')", limits: limits)
        #expect(result.status == .oom, "\(result.failure.map { "\($0)" } ?? "")")
        #expect(result.oomKilled)
        #expect(!result.stdout.text.contains("survived"))
        let peak = try #require(result.memoryPeakBytes)
        #expect(peak <= 64 << 20)
    }

    /// Under a limit smaller than the launcher's own address space, the OOM killer may take init (its copy of
    /// that space is the largest process in the cgroup) instead of the program: the run is oom either way.
    @Test func aLimitSmallerThanTheLauncherIsStillOOM() throws {
        var limits = SandboxFixture.limits
        limits.memoryBytes = 12 << 20
        let ballast = [UInt8](repeating: 1, count: 64 << 20)  // makes this process, and init's copy, large
        defer { withExtendedLifetime(ballast) {} }
        let result = try SandboxFixture.python("x = b'x' * (512 << 20)\nprint('survived')", limits: limits)
        #expect(result.status == .oom, "\(result.status) \(result.failure.map { "\($0)" } ?? "")")
        #expect(result.oomKilled)
    }

    @Test func cpuSpinEndsAsCPUTimeout() throws {
        var limits = SandboxFixture.limits
        limits.cpuTime = .seconds(1)
        limits.wallTime = .seconds(20)
        let result = try SandboxFixture.shell("while :; do :; done", limits: limits)
        #expect(result.status == .timeout)
        #expect(result.timeoutLimit == .cpu)
        // The limit is checked against cpuacct.usage; user and system time come from cpuacct.usage_user/_sys,
        // kernel counters of their own that can trail it by a fraction of a millisecond.
        #expect(result.cpuUserTime + result.cpuSystemTime >= .milliseconds(990))
        #expect(result.wallTime < .seconds(5))
    }

    @Test func sleepEndsAsWallTimeoutWithEveryDescendant() throws {
        var limits = SandboxFixture.limits
        limits.wallTime = .seconds(1)
        let marker = "brigsleep\(getpid())"
        // A double-forked setsid'd grandchild, a stopped child and the main sleep: all must be gone.
        let result = try SandboxFixture.run(["/bin/bash", "-c", """
            (setsid bash -c 'exec -a \(marker)a sleep 300' &)
            bash -c 'exec -a \(marker)b sleep 300' & kill -STOP $!
            exec -a \(marker)c sleep 300
            """], limits: limits)
        #expect(result.status == .timeout)
        #expect(result.timeoutLimit == .wall)
        #expect(result.wallTime >= .seconds(1) && result.wallTime < .seconds(3))
        #expect(Self.hostProcesses(named: marker).isEmpty)
    }

    @Test func hundredMegabytesOfStdoutAreTruncatedAtTheCap() throws {
        let before = Self.residentBytes()
        var peak = before
        var chunks = 0
        let launcher = try SandboxFixture.launcher()
        let result = launcher.run(try SandboxFixture.spec(["head", "-c", "100000000", "/dev/zero"])) { _, _ in
            chunks += 1
            peak = max(peak, Self.residentBytes())
        }
        peak = max(peak, Self.residentBytes())
        #expect(result.status == .ok)
        #expect(result.stdout.totalBytes == 100_000_000)
        #expect(result.stdout.bytes.count == SandboxFixture.limits.outputBytes)
        #expect(result.stdout.truncated)
        #expect(chunks > 0)
        #expect(peak - before < 32 << 20, "the test process grew by \(peak - before) bytes")
    }

    @Test func outputOverflowCanEndTheRun() throws {
        var limits = SandboxFixture.limits
        limits.outputBytes = 4096
        limits.outputOverflow = .kill
        let result = try SandboxFixture.shell("yes", limits: limits)
        #expect(result.status == .outputLimit)
        #expect(result.stdout.bytes.count == 4096)
    }

    @Test func stdinArgumentsAndExitCodesPassThrough() throws {
        let result = try SandboxFixture.run(["/bin/sh", "-c", "read line; echo \"$line $1\"; echo err >&2; exit 7", "sh", "arg"], stdin: "from-stdin\n")
        #expect(result.status == .exitNonzero)
        #expect(result.exitCode == 7)
        #expect(result.stdout.text == "from-stdin arg\n")
        #expect(result.stderr.text == "err\n")
    }

    @Test func stdinTheProgramDoesNotReadIsDropped() throws {
        let result = try SandboxFixture.run(["/bin/true"], stdin: String(repeating: "x", count: 5 << 20))
        #expect(result.status == .ok)
    }

    @Test func signalsAreNamed() throws {
        let result = try SandboxFixture.shell("kill -SEGV $$")
        #expect(result.status == .signaled)
        #expect(result.signal == "SIGSEGV")
    }

    @Test func missingProgramIsAnInternalErrorNamingExecve() throws {
        let result = try SandboxFixture.run(["no-such-program"])
        #expect(result.status == .internalError)
        #expect(result.failure?.stage == "execve")
        #expect(result.failure?.errno == ENOENT)
    }

    static func residentBytes() -> Int {
        let statm = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? ""
        let pages = statm.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    static func hostProcesses(named marker: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            let cmdline = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
            return String(decoding: cmdline, as: UTF8.self).contains(marker)
        }
    }
}
