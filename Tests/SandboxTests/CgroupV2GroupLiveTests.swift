#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport
import Testing
@testable import Sandbox

/// CgroupV2Group's process handling on a real cgroup2 hierarchy, without controllers: runs wherever
/// cgroup2 is mounted, including hybrid hosts whose cgroup2 has no controller (limits are covered by
/// CgroupV2LiveTests where it has them).
@Suite(.serialized, .enabled(if: getuid() == 0 && LiveCgroupHost.detector.v2Mount != nil, "needs root and cgroup2"), .ownThread)
struct CgroupV2GroupLiveTests {
    private func withDriver(_ body: (ControllerlessV2Driver) throws -> Void) throws {
        let parent = UniqueName.make("brig-test")
        let root = try #require(LiveCgroupHost.detector.v2Mount)
        let driver = ControllerlessV2Driver(parentDirectory: root + "/" + parent)
        defer { LiveCgroupHost.removeParent(driver.parentDirectory) }
        try body(driver)
        #expect(LiveCgroupHost.leftovers(named: parent) == [])
    }

    @Test func killAllKillsEveryProcess() throws {
        try withDriver { try LiveCgroupScenarios(driver: $0).killAllKillsEveryProcess() }
    }

    @Test func parentOutlivesAllButTheLastGroup() throws {
        try withDriver { try LiveCgroupScenarios(driver: $0).parentOutlivesAllButTheLastGroup() }
    }

    @Test func attachOfMissingProcessNamesTheFile() throws {
        try withDriver { try LiveCgroupScenarios(driver: $0).attachOfMissingProcessNamesTheFile() }
    }

    @Test func cpuTimeGrowsAndCloneTargetIsTheDirectory() throws {
        try withDriver { driver in
            let group = try driver.create(name: "run", limits: CgroupLimits(memoryBytes: 1 << 20, cpus: 1, pids: 1))
            defer { try? group.killAll(); LiveCgroupHost.forceEmpty(group); try? group.remove() }
            let v2 = try #require(group as? CgroupV2Group)
            let fd = try #require(group.cloneTarget)
            var byFD = stat()
            var byPath = stat()
            #expect(fstat(fd, &byFD) == 0 && stat(v2.directory, &byPath) == 0 && byFD.st_ino == byPath.st_ino)
            let busy = try GatedProcess(["/bin/sh", "-c", "read x; while :; do :; done"])
            defer { busy.terminate() }
            try group.attach(pid: busy.pid)
            busy.open()
            usleep(200_000)
            let first = group.cpuTimeNanoseconds()
            usleep(200_000)
            #expect(first > 0)
            #expect(group.cpuTimeNanoseconds() > first)

            try group.killAll()

            busy.waitForExit()
            #expect(busy.terminatingSignal == SIGKILL)
            #expect(group.usage().cpuUserNanoseconds > 0)
            try group.remove()
            #expect(group.cloneTarget == nil)
            #expect(!FileManager.default.fileExists(atPath: v2.directory))
        }
    }
}
