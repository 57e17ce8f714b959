#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport
import Testing
@testable import Sandbox

/// CgroupV2Driver against a temporary tree of plain directories: which files it writes, reads and removes.
@Suite(.ownThread)
struct CgroupV2FakeTreeTests {
    static let limits = CgroupLimits(memoryBytes: 256 << 20, cpus: 0.5, pids: 64)

    @Test func createEnablesControllersAndWritesLimits() throws {
        let tree = try FakeCgroupTree()
        defer { tree.remove() }
        let driver = try CgroupV2Driver(root: tree.root, parent: "brig")

        let group = try driver.create(name: "run-1", limits: Self.limits)
        defer { try? group.remove() }

        #expect(tree.contents("cgroup.subtree_control") == "+memory +pids +cpu")
        #expect(tree.contents("brig/cgroup.subtree_control") == "+memory +pids +cpu")
        #expect(tree.contents("brig/run-1/memory.max") == "268435456")
        #expect(tree.contents("brig/run-1/memory.swap.max") == "0")
        #expect(tree.contents("brig/run-1/pids.max") == "64")
        #expect(tree.contents("brig/run-1/cpu.max") == "50000 100000")
        #expect(driver.placements == ["memory", "pids", "cpu"].map {
            CgroupPlacement(controller: $0, version: 2, directory: tree.path("brig"))
        })
        let fd = try #require(group.cloneTarget)
        var byFD = stat()
        var byPath = stat()
        #expect(fstat(fd, &byFD) == 0 && stat(tree.path("brig/run-1"), &byPath) == 0)
        #expect(byFD.st_ino == byPath.st_ino && (byFD.st_mode & S_IFMT) == S_IFDIR)
        #expect(fcntl(fd, F_GETFD) & FD_CLOEXEC != 0)
    }

    @Test(arguments: [(0.001, "1000 100000"), (1.0, "100000 100000"), (2.5, "250000 100000")])
    func cpuMaxIsQuotaOverPeriod(cpus: Double, expected: String) throws {
        let tree = try FakeCgroupTree()
        defer { tree.remove() }
        let group = try CgroupV2Driver(root: tree.root).create(
            name: "run", limits: CgroupLimits(memoryBytes: 1 << 20, cpus: cpus, pids: 1))
        defer { try? group.remove() }
        #expect(tree.contents("brig/run/cpu.max") == expected)
    }

    @Test func attachWritesThePid() throws {
        let tree = try FakeCgroupTree()
        defer { tree.remove() }
        let group = try CgroupV2Driver(root: tree.root).create(name: "run", limits: Self.limits)
        defer { try? group.remove() }

        try group.attach(pid: 4242)

        #expect(tree.contents("brig/run/cgroup.procs") == "4242")
    }

    @Test func usageParsesTheCounters() throws {
        let tree = try FakeCgroupTree()
        defer { tree.remove() }
        let group = try CgroupV2Driver(root: tree.root).create(name: "run", limits: Self.limits)
        defer { try? group.remove() }
        #expect(group.usage() == CgroupUsage())

        try tree.write(
            "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n",
            to: "brig/run/cpu.stat")
        try tree.write("1048576\n", to: "brig/run/memory.peak")
        try tree.write("low 0\nhigh 0\nmax 9\noom 3\noom_kill 2\noom_group_kill 0\n", to: "brig/run/memory.events")
        try tree.write("7\n", to: "brig/run/pids.peak")
        try tree.write("max 5\n", to: "brig/run/pids.events")

        #expect(group.cpuTimeNanoseconds() == 1_500_000)
        #expect(group.usage() == CgroupUsage(
            cpuUserNanoseconds: 1_000_000, cpuSystemNanoseconds: 500_000, memoryPeakBytes: 1 << 20,
            oomKills: 2, pidsPeak: 7, pidsLimitHits: 5))
    }

    @Test func killAllWritesCgroupKill() throws {
        let tree = try FakeCgroupTree()
        defer { tree.remove() }
        let group = try CgroupV2Driver(root: tree.root).create(name: "run", limits: Self.limits)
        defer { try? group.remove() }
        try tree.write("", to: "brig/run/cgroup.kill")

        try group.killAll()

        #expect(tree.contents("brig/run/cgroup.kill") == "1")
        #expect(!tree.exists("brig/run/cgroup.freeze"))
    }

    @Test func killAllWithoutCgroupKillFreezesKillsThawsAndGivesUp() throws {
        let tree = try FakeCgroupTree()
        defer { tree.remove() }
        let group = try CgroupV2Driver(root: tree.root).create(name: "run", limits: Self.limits)
        defer { try? group.remove() }
        // A pid above any pid_max: the kill is harmless, and the fake list never empties.
        try tree.write("2147483647\n", to: "brig/run/cgroup.procs")

        let error = #expect(throws: SandboxError.self) { try group.killAll() }

        #expect(error?.code == .cgroupFailed)
        #expect(error?.stage == "cgroup.cgroup.procs")
        #expect(error?.message.contains(tree.path("brig/run/cgroup.procs")) == true)
        #expect(tree.contents("brig/run/cgroup.freeze") == "0", "thawed after the last attempt")
        #expect(!tree.exists("brig/run/cgroup.kill"))
    }

    @Test func killAllOfAnEmptyCgroupWithoutCgroupKillTouchesNothing() throws {
        let tree = try FakeCgroupTree()
        defer { tree.remove() }
        let group = try CgroupV2Driver(root: tree.root).create(name: "run", limits: Self.limits)
        defer { try? group.remove() }
        try tree.write("", to: "brig/run/cgroup.procs")

        try group.killAll()

        #expect(!tree.exists("brig/run/cgroup.kill"))
        #expect(!tree.exists("brig/run/cgroup.freeze"))
    }

    @Test func removeDeletesTheCgroupKeepsABusyParentAndClosesTheFD() throws {
        let tree = try FakeCgroupTree()
        defer { tree.remove() }
        let group = try CgroupV2Driver(root: tree.root).create(name: "run", limits: Self.limits)
        defer { try? group.remove() }
        #expect(group.cloneTarget != nil)
        try tree.emptyDirectory("brig/run")

        try group.remove()

        #expect(!tree.exists("brig/run"))
        // The parent holds the fake's subtree_control file, so it looks in use: it must stay, quietly.
        #expect(tree.exists("brig"))
        #expect(group.cloneTarget == nil)
        try group.remove()
    }

    @Test func removeFailsWhileTheCgroupCannotGo() throws {
        let tree = try FakeCgroupTree()
        defer { tree.remove() }
        let group = try CgroupV2Driver(root: tree.root).create(name: "run", limits: Self.limits)
        defer { try? tree.emptyDirectory("brig/run"); try? group.remove() }

        let error = #expect(throws: SandboxError.self) { try group.remove() }

        #expect(error?.code == .cgroupFailed)
        #expect(error?.stage == "cgroup.rmdir")
        #expect(error?.message.contains(tree.path("brig/run")) == true)
        #expect(group.cloneTarget == nil, "the fd is closed even when the cgroup stays")
        #expect(tree.exists("brig/run"))

        try tree.emptyDirectory("brig/run")
        try group.remove()
        #expect(!tree.exists("brig/run"), "a later remove still removes it")
    }

    @Test func aVanishedParentIsMadeAgain() throws {
        let tree = try FakeCgroupTree()
        defer { tree.remove() }
        let driver = try CgroupV2Driver(root: tree.root)
        let first = try driver.create(name: "first", limits: Self.limits)
        defer { try? first.remove() }
        try tree.emptyDirectory("brig/first")
        try first.remove()
        try tree.emptyDirectory("brig")
        #expect(rmdir(tree.path("brig")) == 0)

        let second = try driver.create(name: "second", limits: Self.limits)
        defer { try? second.remove() }

        #expect(tree.contents("brig/cgroup.subtree_control") == "+memory +pids +cpu")
        #expect(tree.contents("brig/second/pids.max") == "64")
    }

    @Test func aFailedWriteNamesTheFileAndLeavesNoCgroup() throws {
        let tree = try FakeCgroupTree(directories: ["brig/cgroup.subtree_control"])
        defer { tree.remove() }

        let error = #expect(throws: SandboxError.self) {
            try CgroupV2Driver(root: tree.root).create(name: "run", limits: Self.limits)
        }

        #expect(error?.code == .cgroupFailed)
        #expect(error?.stage == "cgroup.cgroup.subtree_control")
        #expect(error?.errno == EISDIR)
        #expect(error?.message.contains(tree.path("brig/cgroup.subtree_control")) == true)
        #expect(!tree.exists("brig/run"))
    }

    @Test(arguments: ["", ".", "..", "../escape", "a/b"])
    func invalidNamesAreRefused(name: String) throws {
        let tree = try FakeCgroupTree()
        defer { tree.remove() }
        let error = #expect(throws: SandboxError.self) {
            try CgroupV2Driver(root: tree.root).create(name: name, limits: Self.limits)
        }
        #expect(error?.code == .invalidSpec)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.root) == [])
    }

    @Test(arguments: [
        CgroupLimits(memoryBytes: 0, cpus: 1, pids: 1),
        CgroupLimits(memoryBytes: 1 << 20, cpus: 0, pids: 1),
        CgroupLimits(memoryBytes: 1 << 20, cpus: -1, pids: 1),
        CgroupLimits(memoryBytes: 1 << 20, cpus: .nan, pids: 1),
        CgroupLimits(memoryBytes: 1 << 20, cpus: .infinity, pids: 1),
        CgroupLimits(memoryBytes: 1 << 20, cpus: 1, pids: 0),
    ])
    func limitsThatMeanNoLimitAreRefused(limits: CgroupLimits) throws {
        let tree = try FakeCgroupTree()
        defer { tree.remove() }
        let error = #expect(throws: SandboxError.self) {
            try CgroupV2Driver(root: tree.root).create(name: "run", limits: limits)
        }
        #expect(error?.code == .invalidSpec)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.root) == [])
    }
}
