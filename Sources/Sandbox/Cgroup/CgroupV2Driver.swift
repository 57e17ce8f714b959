#if canImport(Glibc)
import Glibc
#endif

/// Sandboxes' cgroups on the unified hierarchy: `<root>/<parent>/<name>`, with memory, pids and cpu
/// enabled for the parent's children.
public struct CgroupV2Driver: CgroupDriver {
    static let controllers = ["memory", "pids", "cpu"]

    /// The cgroup2 hierarchy's root directory (normally /sys/fs/cgroup).
    public let root: String
    /// The cgroup holding every sandbox's cgroup.
    public let parentDirectory: String

    /// A driver creating cgroups under `<root>/<parent>`; `root` is the detected cgroup2 mount, or any
    /// directory (tests use a temporary tree of plain directories). Touches nothing until `create`.
    public init(root: String, parent: String = "brig") throws(SandboxError) {
        self.root = root
        self.parentDirectory = root + "/" + (try CgroupFS.component(parent, what: "parent cgroup"))
    }

    public var placements: [CgroupPlacement] {
        Self.controllers.map { CgroupPlacement(controller: $0, version: 2, directory: parentDirectory) }
    }

    public func create(name: String, limits: CgroupLimits) throws(SandboxError) -> any SandboxCgroup {
        let directory = parentDirectory + "/" + (try CgroupFS.component(name, what: "cgroup"))
        try limits.validate()
        let enable = Self.controllers.map { "+" + $0 }.joined(separator: " ")
        // Written on every create rather than once: the parent may have been removed and made again since.
        try CgroupFS.makeChild(directory, in: parentDirectory) { (parent) throws(SandboxError) in
            try CgroupFS.write(enable, to: root + "/cgroup.subtree_control")
            try CgroupFS.write(enable, to: parent + "/cgroup.subtree_control")
        }
        do throws(SandboxError) {
            try CgroupFS.write(String(limits.memoryBytes), to: directory + "/memory.max")
            try CgroupFS.write("0", to: directory + "/memory.swap.max")
            try CgroupFS.write(String(limits.pids), to: directory + "/pids.max")
            let quota = try limits.cfsQuotaMicroseconds()
            try CgroupFS.write("\(quota) \(CgroupLimits.cfsPeriodMicroseconds)", to: directory + "/cpu.max")
            let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else {
                throw SandboxError.system(.cgroupFailed, stage: "cgroup.open", errno: errno, "cannot open \(directory)")
            }
            return CgroupV2Group(directory: directory, parentDirectory: parentDirectory, fd: fd)
        } catch {
            try? CgroupFS.removeDirectory(directory, retryingUntil: .now)
            CgroupFS.removeIfUnused(parentDirectory)
            throw error
        }
    }
}
