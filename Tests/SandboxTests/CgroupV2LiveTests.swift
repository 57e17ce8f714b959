#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport
import Testing
@testable import Sandbox

/// CgroupV2Driver creating real cgroups, where the cgroup2 hierarchy offers memory, pids and cpu
/// (skipped on v1 and hybrid hosts whose cgroup2 has none of them).
@Suite(.serialized, .enabled(if: LiveCgroupHost.v2Root != nil, "needs root and cgroup2 with memory, pids, cpu"), .ownThread)
struct CgroupV2LiveTests {
    private func withDriver(_ body: (CgroupV2Driver) throws -> Void) throws {
        let parent = UniqueName.make("brig-test")
        let driver = try CgroupV2Driver(root: try #require(LiveCgroupHost.v2Root), parent: parent)
        defer { LiveCgroupHost.removeParent(driver.parentDirectory) }
        try body(driver)
        #expect(LiveCgroupHost.leftovers(named: parent) == [])
    }

    @Test func limitsLandInTheControlFiles() throws {
        try withDriver { driver in
            let group = try driver.create(name: "run", limits: CgroupLimits(memoryBytes: 64 << 20, cpus: 0.5, pids: 16))
            defer { try? group.remove() }
            let v2 = try #require(group as? CgroupV2Group)

            #expect(CgroupFS.number(at: v2.directory + "/memory.max") == 64 << 20)
            #expect(CgroupFS.number(at: v2.directory + "/memory.swap.max") == 0)
            #expect(CgroupFS.number(at: v2.directory + "/pids.max") == 16)
            #expect(CgroupFS.readIfPresent(v2.directory + "/cpu.max") == "50000 100000\n")
            let enabled = CgroupFS.readIfPresent(driver.parentDirectory + "/cgroup.subtree_control") ?? ""
            #expect(Set(enabled.split(whereSeparator: \.isWhitespace)).isSuperset(of: ["memory", "pids", "cpu"]))
            let fd = try #require(group.cloneTarget)
            var byFD = stat()
            var byPath = stat()
            #expect(fstat(fd, &byFD) == 0 && stat(v2.directory, &byPath) == 0 && byFD.st_ino == byPath.st_ino)
            try group.remove()
            #expect(group.cloneTarget == nil)
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
