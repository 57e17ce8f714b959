#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport
import Testing
@testable import Sandbox

/// CgroupV1Driver creating real cgroups on this kernel's v1 hierarchies.
@Suite(.serialized, .enabled(if: LiveCgroupHost.hasV1, "needs root and v1 memory, pids, cpu, cpuacct, freezer"), .ownThread)
struct CgroupV1LiveTests {
    /// Runs `body` with a driver whose parent cgroup is unique to this test, then checks that nothing
    /// named after it is left in any hierarchy.
    func withDriver(_ body: (CgroupV1Driver) throws -> Void) throws {
        let parent = UniqueName.make("brig-test")
        let driver = try CgroupV1Driver(mounts: LiveCgroupHost.detector.v1Mounts, parent: parent)
        defer { driver.uniqueParents.forEach(LiveCgroupHost.removeParent) }
        try body(driver)
        #expect(LiveCgroupHost.leftovers(named: parent) == [])
    }

    @Test func limitsLandInTheControlFiles() throws {
        try withDriver { driver in
            let group = try driver.create(name: "run", limits: CgroupLimits(memoryBytes: 64 << 20, cpus: 0.5, pids: 16))
            defer { try? group.remove() }
            let tiny = try driver.create(name: "tiny", limits: CgroupLimits(memoryBytes: 8 << 20, cpus: 0.001, pids: 1))
            defer { try? tiny.remove() }
            let v1 = try #require(group as? CgroupV1Group)

            #expect(CgroupFS.number(at: v1.memory + "/memory.limit_in_bytes") == 64 << 20)
            #expect(CgroupFS.number(at: v1.memory + "/memory.memsw.limit_in_bytes") == 64 << 20)
            #expect(CgroupFS.number(at: v1.cpu + "/cpu.cfs_period_us") == 100_000)
            #expect(CgroupFS.number(at: v1.cpu + "/cpu.cfs_quota_us") == 50_000)
            #expect(CgroupFS.number(at: v1.pids + "/pids.max") == 16)
            #expect(FileManager.default.fileExists(atPath: v1.cpuacct + "/cpuacct.usage"))
            #expect(FileManager.default.fileExists(atPath: v1.freezer + "/freezer.state"))
            #expect(group.cloneTarget == nil)
            let tinyV1 = try #require(tiny as? CgroupV1Group)
            #expect(CgroupFS.number(at: tinyV1.cpu + "/cpu.cfs_quota_us") == 1_000)

            try group.remove()
            try tiny.remove()
        }
    }

    @Test func attachJoinsEveryHierarchy() throws {
        try withDriver { driver in
            let group = try driver.create(name: "run", limits: CgroupLimits(memoryBytes: 64 << 20, cpus: 1, pids: 8))
            defer { try? group.killAll(); LiveCgroupHost.forceEmpty(group); try? group.remove() }
            let sleeper = try GatedProcess(["/bin/sh", "-c", "read x; exec sleep 30"])
            defer { sleeper.terminate() }

            try group.attach(pid: sleeper.pid)

            let membership = try String(contentsOfFile: "/proc/\(sleeper.pid)/cgroup", encoding: .utf8)
            let expected = "/\(driver.uniqueParents[0].split(separator: "/").last ?? "")/run"
            for controller in ["memory", "pids", "cpu", "cpuacct", "freezer"] {
                let line = membership.split(separator: "\n").first {
                    $0.split(separator: ":")[1].split(separator: ",").contains(Substring(controller))
                }
                #expect(line?.hasSuffix(expected) == true, "\(controller): \(line ?? "none")")
            }
            try group.killAll()
            try group.remove()
        }
    }

    @Test func killAllKillsEveryProcess() throws {
        try withDriver { try LiveCgroupScenarios(driver: $0).killAllKillsEveryProcess() }
    }

    @Test func killAllKillsForkBomb() throws {
        try withDriver { try LiveCgroupScenarios(driver: $0).killAllKillsForkBomb() }
    }

    @Test func countsOOMKills() throws {
        try withDriver { try LiveCgroupScenarios(driver: $0).countsOOMKills() }
    }

    @Test func countsCPUTime() throws {
        try withDriver { try LiveCgroupScenarios(driver: $0).countsCPUTime() }
    }

    @Test func parentOutlivesAllButTheLastGroup() throws {
        try withDriver { try LiveCgroupScenarios(driver: $0).parentOutlivesAllButTheLastGroup() }
    }

    @Test func attachOfMissingProcessNamesTheFile() throws {
        try withDriver { try LiveCgroupScenarios(driver: $0).attachOfMissingProcessNamesTheFile() }
    }
}
