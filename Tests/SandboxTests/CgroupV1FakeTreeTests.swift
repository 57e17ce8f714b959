#if canImport(Glibc)
import Glibc
import TestSupport
#endif
import Testing
@testable import Sandbox

/// CgroupV1Driver against temporary plain directories standing in for v1 hierarchies, for layouts this
/// machine does not have (co-mounted cpu,cpuacct; no swap accounting).
@Suite(.ownThread)
struct CgroupV1FakeTreeTests {
    static let hierarchies = ["memory", "pids", "cpu,cpuacct", "freezer"]

    static func mounts(_ tree: FakeCgroupTree) -> [String: String] {
        [
            "memory": tree.path("memory"), "pids": tree.path("pids"), "cpu": tree.path("cpu,cpuacct"),
            "cpuacct": tree.path("cpu,cpuacct"), "freezer": tree.path("freezer"),
        ]
    }

    static func files(memsw: Bool, swapTotal: String = "0") -> (String) -> String? {
        { path in
            if path == "/proc/meminfo" { return "SwapTotal:  \(swapTotal) kB\n" }
            if path.hasSuffix("/memory.memsw.limit_in_bytes") { return memsw ? "9223372036854771712\n" : nil }
            return nil
        }
    }

    @Test func coMountedCpuAndCpuacctGetOneDirectory() throws {
        let tree = try FakeCgroupTree(directories: Self.hierarchies)
        defer { tree.remove() }
        let driver = try CgroupV1Driver(mounts: Self.mounts(tree), parent: "brig", readFile: Self.files(memsw: true))

        let group = try driver.create(name: "run", limits: CgroupLimits(memoryBytes: 64 << 20, cpus: 1.5, pids: 10))
        defer { try? group.remove() }

        let v1 = try #require(group as? CgroupV1Group)
        #expect(v1.directories == ["freezer", "memory", "pids", "cpu,cpuacct"].map { tree.path($0 + "/brig/run") })
        #expect(v1.cpu == v1.cpuacct)
        #expect(tree.contents("memory/brig/run/memory.limit_in_bytes") == "67108864")
        #expect(tree.contents("memory/brig/run/memory.memsw.limit_in_bytes") == "67108864")
        #expect(tree.contents("cpu,cpuacct/brig/run/cpu.cfs_period_us") == "100000")
        #expect(tree.contents("cpu,cpuacct/brig/run/cpu.cfs_quota_us") == "150000")
        #expect(tree.contents("pids/brig/run/pids.max") == "10")

        try group.attach(pid: 4242)
        for directory in v1.directories {
            #expect(CgroupFS.readIfPresent(directory + "/cgroup.procs") == "4242")
        }
    }

    @Test func usageParsesTheCounters() throws {
        let tree = try FakeCgroupTree(directories: Self.hierarchies)
        defer { tree.remove() }
        let driver = try CgroupV1Driver(mounts: Self.mounts(tree), parent: "brig", readFile: Self.files(memsw: true))
        let group = try driver.create(name: "run", limits: CgroupLimits(memoryBytes: 64 << 20, cpus: 1, pids: 10))
        defer { try? group.remove() }
        try tree.write("3000\n", to: "cpu,cpuacct/brig/run/cpuacct.usage")
        try tree.write("2000\n", to: "cpu,cpuacct/brig/run/cpuacct.usage_user")
        try tree.write("1000\n", to: "cpu,cpuacct/brig/run/cpuacct.usage_sys")
        try tree.write("5242880\n", to: "memory/brig/run/memory.max_usage_in_bytes")
        try tree.write("oom_kill_disable 0\nunder_oom 0\noom_kill 1\n", to: "memory/brig/run/memory.oom_control")
        try tree.write("max 4\n", to: "pids/brig/run/pids.events")

        #expect(group.cpuTimeNanoseconds() == 3000)
        #expect(group.usage() == CgroupUsage(
            cpuUserNanoseconds: 2000, cpuSystemNanoseconds: 1000, memoryPeakBytes: 5 << 20,
            oomKills: 1, pidsPeak: nil, pidsLimitHits: 4))
    }

    @Test func withoutSwapAccountingOrSwapOnlyMemoryIsLimited() throws {
        let tree = try FakeCgroupTree(directories: Self.hierarchies)
        defer { tree.remove() }
        let driver = try CgroupV1Driver(mounts: Self.mounts(tree), parent: "brig", readFile: Self.files(memsw: false))

        let group = try driver.create(name: "run", limits: CgroupLimits(memoryBytes: 64 << 20, cpus: 1, pids: 10))
        defer { try? group.remove() }

        #expect(tree.contents("memory/brig/run/memory.limit_in_bytes") == "67108864")
        #expect(!tree.exists("memory/brig/run/memory.memsw.limit_in_bytes"))
    }

    @Test func swapWithoutAccountingIsRefused() throws {
        let tree = try FakeCgroupTree(directories: Self.hierarchies)
        defer { tree.remove() }
        let error = #expect(throws: SandboxError.self) {
            try CgroupV1Driver(
                mounts: Self.mounts(tree), parent: "brig", readFile: Self.files(memsw: false, swapTotal: "1024"))
        }
        #expect(error?.code == .cgroupUnavailable)
        #expect(error?.message.contains("swap is on but not accounted (boot with swapaccount=1)") == true)
    }

    @Test(arguments: CgroupV1Driver.controllers)
    func aMissingControllerIsNamed(controller: String) throws {
        let tree = try FakeCgroupTree(directories: Self.hierarchies)
        defer { tree.remove() }
        var mounts = Self.mounts(tree)
        mounts[controller] = nil
        let error = #expect(throws: SandboxError.self) {
            try CgroupV1Driver(mounts: mounts, parent: "brig", readFile: Self.files(memsw: true))
        }
        #expect(error?.code == .cgroupUnavailable)
        #expect(error?.message == "cgroup v1 lacks \(controller): cannot enforce limits")
    }

    @Test func removeDeletesEveryDirectoryAndTheUnusedParents() throws {
        let tree = try FakeCgroupTree(directories: Self.hierarchies)
        defer { tree.remove() }
        let driver = try CgroupV1Driver(mounts: Self.mounts(tree), parent: "brig", readFile: Self.files(memsw: true))
        let group = try driver.create(name: "run", limits: CgroupLimits(memoryBytes: 64 << 20, cpus: 1, pids: 10))
        defer { try? group.remove() }
        for hierarchy in Self.hierarchies {
            try tree.emptyDirectory(hierarchy + "/brig/run")
        }

        try group.remove()
        try group.remove()

        for hierarchy in Self.hierarchies {
            #expect(!tree.exists(hierarchy + "/brig"), "\(hierarchy)")
        }
    }

    @Test func aFailedCreateRemovesWhatItMade() throws {
        // A cgroup of that name already in the pids hierarchy: freezer and memory are made before it fails.
        let tree = try FakeCgroupTree(directories: Self.hierarchies + ["pids/brig/run"])
        defer { tree.remove() }
        let driver = try CgroupV1Driver(mounts: Self.mounts(tree), parent: "brig", readFile: Self.files(memsw: true))

        let error = #expect(throws: SandboxError.self) {
            try driver.create(name: "run", limits: CgroupLimits(memoryBytes: 64 << 20, cpus: 1, pids: 10))
        }

        #expect(error?.code == .cgroupFailed)
        #expect(error?.stage == "cgroup.mkdir")
        #expect(error?.errno == EEXIST)
        #expect(error?.message.contains(tree.path("pids/brig/run")) == true)
        for hierarchy in ["freezer", "memory", "cpu,cpuacct"] {
            #expect(!tree.exists(hierarchy + "/brig"), "\(hierarchy)")
        }
        #expect(tree.exists("pids/brig/run"), "not made by this create, so not removed")
    }
}
