#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport
import Testing
@testable import Sandbox

/// What every driver must do on a real kernel; the v1 and v2 live suites run the same scenarios.
/// Each cleans up its cgroups and processes through `defer`, even when an expectation fails.
struct LiveCgroupScenarios {
    let driver: any CgroupDriver

    private func create(memoryBytes: UInt64 = 64 << 20, cpus: Double = 1, pids: Int = 64) throws -> any SandboxCgroup {
        try driver.create(
            name: UniqueName.make("run"), limits: CgroupLimits(memoryBytes: memoryBytes, cpus: cpus, pids: pids))
    }

    /// Sleeping children, a double-forked setsid'd pair, a stopped child and a stopped process all die.
    func killAllKillsEveryProcess() throws {
        let group = try create()
        defer { try? group.killAll(); LiveCgroupHost.forceEmpty(group); try? group.remove() }
        let tree = try GatedProcess([
            "/bin/sh", "-c", "read x; sleep 30 & sleep 30 & setsid sh -c 'sleep 30 & sleep 30 &'; sleep 30 & wait",
        ])
        defer { tree.terminate() }
        let stopped = try GatedProcess(["/bin/sh", "-c", "read x; exec sleep 30"])
        defer { stopped.terminate() }
        try group.attach(pid: tree.pid)
        try group.attach(pid: stopped.pid)
        tree.open()
        stopped.open()

        let sleepers = waitForSleepers(in: group, count: 6)
        try #require(sleepers.count == 6, "the tree did not start: \(LiveCgroupHost.processes(in: group))")
        let stoppedChild = try #require(sleepers.first { $0 != stopped.pid })
        kill(stoppedChild, SIGSTOP)
        kill(stopped.pid, SIGSTOP)
        let everyone = LiveCgroupHost.processes(in: group)
        #expect(everyone.count == 7)
        #expect(everyone.contains(tree.pid))
        #expect(waitForStopped([stoppedChild, stopped.pid]), "both must be stopped before the kill")

        try group.killAll()

        #expect(LiveCgroupHost.processes(in: group) == [])
        #expect(everyone.filter(ProcessState.isRunning) == [])
        tree.waitForExit()
        stopped.waitForExit()
        #expect(tree.terminatingSignal == SIGKILL)
        #expect(stopped.terminatingSignal == SIGKILL)
        try group.remove()
    }

    /// A fork bomb that keeps forking while it is killed ends, and the pids limit held it.
    func killAllKillsForkBomb() throws {
        let group = try create(pids: 32)
        defer { try? group.killAll(); LiveCgroupHost.forceEmpty(group); try? group.remove() }
        // Every process forks for ever and shrugs off a failed fork, so the bomb is still forking when it
        // is killed and nothing in it exits on its own. A shell's bomb is not: dash exits when a fork
        // fails, so at pids.max its tree can collapse by itself, the first shell with it, exit status 0.
        let bomb = try GatedProcess(["/usr/bin/perl", "-e", "<STDIN>; fork while 1"])
        defer { bomb.terminate() }
        try group.attach(pid: bomb.pid)
        bomb.open()
        let deadline = ContinuousClock.now + .seconds(5)
        while group.usage().pidsLimitHits == 0, ContinuousClock.now < deadline {
            usleep(5_000)
        }
        try #require(group.usage().pidsLimitHits > 0, "the bomb never reached pids.max")
        usleep(100_000)
        #expect(LiveCgroupHost.processes(in: group).count <= 32)

        try group.killAll()

        #expect(LiveCgroupHost.processes(in: group) == [])
        bomb.waitForExit()
        #expect(bomb.terminatingSignal == SIGKILL)
        try group.remove()
    }

    /// A process allocating past the memory limit is OOM-killed, and the cgroup counts it.
    func countsOOMKills() throws {
        let python = "/usr/bin/python3"
        try #require(access(python, X_OK) == 0, "\(python) is needed to allocate memory")
        let limit: UInt64 = 32 << 20
        let group = try create(memoryBytes: limit, pids: 16)
        defer { try? group.killAll(); LiveCgroupHost.forceEmpty(group); try? group.remove() }
        let hog = try GatedProcess([python, "-c", "import sys; sys.stdin.readline(); x = 'a' * (200 << 20)"])
        defer { hog.terminate() }
        try group.attach(pid: hog.pid)
        hog.open()

        #expect(hog.waitForExit(timeout: .seconds(30)) != nil)
        #expect(hog.terminatingSignal == SIGKILL)
        let usage = group.usage()
        #expect(usage.oomKills > 0)
        if let peak = usage.memoryPeakBytes {
            #expect(peak > 0 && peak <= limit)
        }
        try group.killAll()
        try group.remove()
    }

    /// CPU time grows while a busy loop runs, no faster than the CPU bandwidth limit allows.
    func countsCPUTime() throws {
        let group = try create(cpus: 0.5)
        defer { try? group.killAll(); LiveCgroupHost.forceEmpty(group); try? group.remove() }
        let busy = try GatedProcess(["/bin/sh", "-c", "read x; while :; do :; done"])
        defer { busy.terminate() }
        try group.attach(pid: busy.pid)
        #expect(group.cpuTimeNanoseconds() < 5_000_000)
        let start = ContinuousClock.now
        busy.open()
        usleep(300_000)
        let first = group.cpuTimeNanoseconds()
        usleep(300_000)
        let second = group.cpuTimeNanoseconds()
        let elapsed = ContinuousClock.now - start

        #expect(first > 0)
        #expect(second > first)
        // Half a core: at most half the elapsed time, plus one period's quota of slack.
        let allowed = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        #expect(Double(second) <= allowed * 0.5 + 60e6)

        try group.killAll()
        let usage = group.usage()
        #expect(usage.cpuUserNanoseconds + usage.cpuSystemNanoseconds > 0)
        try group.remove()
    }

    /// Sandboxes share the parent; it goes only with the last of them, and removing twice is harmless.
    func parentOutlivesAllButTheLastGroup() throws {
        let first = try create()
        defer { try? first.remove() }
        let second = try create()
        defer { try? second.killAll(); LiveCgroupHost.forceEmpty(second); try? second.remove() }
        let parents = Set(driver.placements.map(\.directory))

        try first.remove()
        try first.remove()
        #expect(parents.filter { !FileManager.default.fileExists(atPath: $0) } == [])

        let sleeper = try GatedProcess(["/bin/sh", "-c", "read x; exec sleep 30"])
        defer { sleeper.terminate() }
        try second.attach(pid: sleeper.pid)
        sleeper.open()
        try second.killAll()
        sleeper.waitForExit()
        #expect(sleeper.terminatingSignal == SIGKILL)
        try second.remove()
        try second.remove()
        #expect(parents.filter { FileManager.default.fileExists(atPath: $0) } == [])
    }

    /// A failed write names the control file, with the errno.
    func attachOfMissingProcessNamesTheFile() throws {
        let group = try create()
        defer { try? group.remove() }
        let error = #expect(throws: SandboxError.self) { try group.attach(pid: Int32.max) }
        #expect(error?.code == .cgroupFailed)
        #expect(error?.stage == "cgroup.cgroup.procs")
        #expect(error?.errno == ESRCH)
        #expect(error?.message.contains("/cgroup.procs") == true)
        try group.remove()
    }

    private func waitForSleepers(in group: any SandboxCgroup, count: Int) -> [pid_t] {
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            let sleepers = LiveCgroupHost.processes(in: group).filter {
                (try? String(contentsOfFile: "/proc/\($0)/comm", encoding: .utf8)) == "sleep\n"
            }
            if sleepers.count >= count || ContinuousClock.now >= deadline { return sleepers }
            usleep(5_000)
        }
    }

    private func waitForStopped(_ pids: [pid_t]) -> Bool {
        let deadline = ContinuousClock.now + .seconds(5)
        while !pids.allSatisfy({ ProcessState.letter($0) == "T" }) {
            guard ContinuousClock.now < deadline else { return false }
            usleep(5_000)
        }
        return true
    }
}
