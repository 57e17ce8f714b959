import TestSupport
import Testing
@testable import Sandbox

/// CgroupDetector on mountinfo tables of the host layouts brig meets.
@Suite(.ownThread)
struct CgroupDetectorTests {
    /// This development machine: v1 controllers each on its own mount, an empty cgroup2 at unified.
    static let hybrid = """
        22 1 254:1 / / rw,relatime - ext4 /dev/vda rw
        23 22 0:21 / /sys rw,nosuid,nodev,noexec,relatime - sysfs sysfs rw
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
        34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
        37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
        38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
        39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
        40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """

    /// A current systemd host: only cgroup2, with optional fields before the separator.
    static let pureV2 = """
        22 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw
        24 22 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw
        35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
        """

    /// An older systemd hybrid: cpu and cpuacct co-mounted, named and flagged hierarchies, an escaped path.
    static let coMounted = """
        25 18 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
        26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw
        27 25 0:24 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,xattr,name=systemd
        30 25 0:27 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,cpu,cpuacct
        31 25 0:28 / /sys/fs/cgroup/my\\040memory rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,memory
        32 25 0:29 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,pids
        33 25 0:30 / /sys/fs/cgroup/freezer rw,nosuid,nodev,noexec,relatime shared:17 - cgroup cgroup rw,freezer
        34 25 0:31 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid,nodev,noexec,relatime shared:18 - cgroup cgroup rw,net_cls,net_prio
        """

    /// Files of a host without swap whose v1 memory controller accounts swap.
    static func files(_ extra: [String: String] = [:]) -> (String) -> String? {
        let files = [
            "/proc/meminfo": "MemTotal:        4024320 kB\nSwapCached:            0 kB\nSwapTotal:             0 kB\n",
            "/sys/fs/cgroup/unified/cgroup.controllers": "\n",
            "/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes": "9223372036854771712\n",
            "/sys/fs/cgroup/my memory/memory.memsw.limit_in_bytes": "9223372036854771712\n",
            "/sys/fs/cgroup/cgroup.controllers": "cpuset cpu io memory hugetlb pids rdma misc\n",
        ].merging(extra) { $1 }
        return { files[$0] }
    }

    static func v1Placements(_ directories: [(String, String)]) -> [CgroupPlacement] {
        directories.map { CgroupPlacement(controller: $0.0, version: 1, directory: $0.1) }
    }

    @Test func hybridHostFindsEveryMountAndUsesV1() throws {
        let detector = CgroupDetector(mountinfo: Self.hybrid)

        #expect(detector.v2Mount == "/sys/fs/cgroup/unified")
        #expect(detector.v1Mounts == [
            "cpu": "/sys/fs/cgroup/cpu", "cpuacct": "/sys/fs/cgroup/cpuacct", "cpuset": "/sys/fs/cgroup/cpuset",
            "memory": "/sys/fs/cgroup/memory", "devices": "/sys/fs/cgroup/devices",
            "freezer": "/sys/fs/cgroup/freezer", "blkio": "/sys/fs/cgroup/blkio", "pids": "/sys/fs/cgroup/pids",
        ])
        #expect(detector.missingV2Controllers(readFile: Self.files()) == ["memory", "pids", "cpu"])

        let driver = try detector.driver(parent: "brig", readFile: Self.files())

        let v1 = try #require(driver as? CgroupV1Driver)
        #expect(v1.limitsSwap)
        #expect(driver.placements == Self.v1Placements([
            ("memory", "/sys/fs/cgroup/memory/brig"), ("pids", "/sys/fs/cgroup/pids/brig"),
            ("cpu", "/sys/fs/cgroup/cpu/brig"), ("cpuacct", "/sys/fs/cgroup/cpuacct/brig"),
            ("freezer", "/sys/fs/cgroup/freezer/brig"),
        ]))
        #expect(driver.placements[0].description == "memory: cgroup v1 at /sys/fs/cgroup/memory/brig")
    }

    @Test func pureV2HostUsesV2() throws {
        let detector = CgroupDetector(mountinfo: Self.pureV2)
        #expect(detector.v1Mounts.isEmpty)
        #expect(detector.v2Mount == "/sys/fs/cgroup")

        let driver = try detector.driver(parent: "brig", readFile: Self.files())

        let v2 = try #require(driver as? CgroupV2Driver)
        #expect(v2.root == "/sys/fs/cgroup")
        #expect(driver.placements == ["memory", "pids", "cpu"].map {
            CgroupPlacement(controller: $0, version: 2, directory: "/sys/fs/cgroup/brig")
        })
    }

    @Test func v2IsPreferredWhenBothCouldWork() throws {
        let files = Self.files(["/sys/fs/cgroup/unified/cgroup.controllers": "cpu memory pids\n"])
        let driver = try CgroupDetector(mountinfo: Self.hybrid).driver(parent: "sandboxes", readFile: files)
        #expect((driver as? CgroupV2Driver)?.parentDirectory == "/sys/fs/cgroup/unified/sandboxes")
    }

    @Test func coMountedCpuAndCpuacctShareOneDirectory() throws {
        let detector = CgroupDetector(mountinfo: Self.coMounted)

        #expect(detector.v1Mounts == [
            "cpu": "/sys/fs/cgroup/cpu,cpuacct", "cpuacct": "/sys/fs/cgroup/cpu,cpuacct",
            "memory": "/sys/fs/cgroup/my memory", "pids": "/sys/fs/cgroup/pids", "freezer": "/sys/fs/cgroup/freezer",
            "net_cls": "/sys/fs/cgroup/net_cls,net_prio", "net_prio": "/sys/fs/cgroup/net_cls,net_prio",
        ])
        let driver = try detector.driver(parent: "brig", readFile: Self.files())
        #expect(driver.placements == Self.v1Placements([
            ("memory", "/sys/fs/cgroup/my memory/brig"), ("pids", "/sys/fs/cgroup/pids/brig"),
            ("cpu", "/sys/fs/cgroup/cpu,cpuacct/brig"), ("cpuacct", "/sys/fs/cgroup/cpu,cpuacct/brig"),
            ("freezer", "/sys/fs/cgroup/freezer/brig"),
        ]))
        #expect((driver as? CgroupV1Driver)?.uniqueParents.count == 4)
    }

    static let cannotEnforce = "cannot enforce memory, pids and cpu limits: "

    struct Refusal: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var mountinfo: String
        var files: [String: String] = [:]
        var absent: Set<String> = []
        var message: String
    }

    @Test(arguments: [
        Refusal(
            testDescription: "hybrid without v1 pids",
            mountinfo: hybrid.split(separator: "\n").filter { !$0.hasSuffix("rw,pids") }.joined(separator: "\n"),
            message: cannotEnforce
                + "cgroup v2 at /sys/fs/cgroup/unified lacks memory, pids, cpu; cgroup v1 lacks pids"),
        Refusal(
            testDescription: "pure v2 without the pids controller",
            mountinfo: pureV2,
            files: ["/sys/fs/cgroup/cgroup.controllers": "cpuset cpu io memory hugetlb rdma misc\n"],
            message: cannotEnforce
                + "cgroup v2 at /sys/fs/cgroup lacks pids; cgroup v1 lacks memory, pids, cpu, cpuacct, freezer"),
        Refusal(
            testDescription: "no cgroup mounted at all",
            mountinfo: "22 1 254:1 / / rw,relatime - ext4 /dev/vda rw",
            message: cannotEnforce + "cgroup v2 is not mounted; cgroup v1 lacks memory, pids, cpu, cpuacct, freezer"),
        Refusal(
            testDescription: "v1 with swap on but not accounted",
            mountinfo: hybrid,
            files: ["/proc/meminfo": "SwapTotal:   2097148 kB\n"],
            absent: ["/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"],
            message: "swap is on but not accounted (boot with swapaccount=1)"),
    ])
    func refusesWhenLimitsCannotBeEnforced(refusal: Refusal) throws {
        let present = Self.files(refusal.files)
        let files: (String) -> String? = { refusal.absent.contains($0) ? nil : present($0) }
        let error = #expect(throws: SandboxError.self) {
            try CgroupDetector(mountinfo: refusal.mountinfo).driver(parent: "brig", readFile: files)
        }
        #expect(error?.code == .cgroupUnavailable)
        #expect(error?.message.hasPrefix(refusal.message) == true, "\(error?.message ?? "no error")")
    }

    @Test func v1WithoutSwapAccountingIsFineWithoutSwap() throws {
        let files = Self.files()
        let driver = try CgroupDetector(mountinfo: Self.hybrid).driver(parent: "brig") {
            $0.hasSuffix("memsw.limit_in_bytes") ? nil : files($0)
        }
        #expect((driver as? CgroupV1Driver)?.limitsSwap == false)
    }

    @Test func v1WithoutSwapAccountingAndUnreadableMeminfoIsRefused() throws {
        let files = Self.files()
        let error = #expect(throws: SandboxError.self) {
            try CgroupDetector(mountinfo: Self.hybrid).driver(parent: "brig") {
                $0.hasSuffix("memsw.limit_in_bytes") || $0 == "/proc/meminfo" ? nil : files($0)
            }
        }
        #expect(error?.code == .cgroupUnavailable)
    }

    @Test func thisHostGetsTheDriverItsHierarchiesAllow() throws {
        let detector = LiveCgroupHost.detector
        if detector.missingV2Controllers().isEmpty {
            #expect(try CgroupDetector.detect() is CgroupV2Driver)
        } else if CgroupV1Driver.controllers.allSatisfy({ detector.v1Mounts[$0] != nil }) {
            #expect(try CgroupDetector.detect() is CgroupV1Driver)
        } else {
            #expect(throws: SandboxError.self) { try CgroupDetector.detect() }
        }
    }
}
