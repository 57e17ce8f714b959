import Foundation
import TestSupport
import Testing
@testable import Sandbox

/// Nothing of a run outlives it: not a cgroup, a mount, a workspace or a process.
@Suite(.ownThread) struct CleanupTests {
    @Test func twoHundredMixedRunsLeaveNothingBehind() throws {
        let parent = "brig-test-cleanup-\(getpid())"
        let runtime = "/run/brig-test-cleanup-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: runtime) }
        let launcher = try SandboxFixture.launcher(parent: parent, runtimeDirectory: runtime)
        let binds = try SandboxFixture.hostBinds()
        // Only the run meant to time out gets a short wall limit: a busy machine may take longer than that to
        // start python (seen in CI: the seccomp case ended `timeout`).
        var quick = SandboxFixture.limits
        quick.wallTime = .milliseconds(300)
        let cases: [([String], SandboxStatus)] = [
            (["/bin/true"], .ok),
            (["/bin/sh", "-c", "exit 3"], .exitNonzero),
            (["/bin/sh", "-c", "sleep 5 & sleep 5"], .timeout),
            (["/bin/sh", "-c", "kill -KILL $$"], .signaled),
            (["no-such-program"], .internalError),
            (["/usr/bin/python3", "-c", "import ctypes; ctypes.CDLL(None).ptrace(0, 0, 0, 0)"], .seccomp),
        ]
        var statuses: [SandboxStatus: Int] = [:]
        for index in 0..<200 {
            let (command, expected) = cases[index % cases.count]
            let limits = expected == .timeout ? quick : SandboxFixture.limits
            let result = launcher.run(SandboxSpec(command: command, environment: SandboxFixture.environment, binds: binds, limits: limits))
            #expect(result.status == expected, "run \(index): \(command) gave \(result.status)")
            #expect(result.cleanupError == nil)
            statuses[result.status, default: 0] += 1
        }
        #expect(statuses.values.reduce(0, +) == 200)
        #expect(SandboxFixture.cgroupDirectories(named: parent).isEmpty)
        #expect(SandboxFixture.processes(inCgroupsNamed: parent).isEmpty)
        #expect(SandboxFixture.mounts(under: runtime).isEmpty)
        let workspaces = (try? FileManager.default.contentsOfDirectory(atPath: runtime + "/work")) ?? []
        #expect(workspaces.isEmpty)
    }
}
