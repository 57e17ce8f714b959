/// Sandboxes' cgroups on v1 hierarchies: one directory `<mount>/<parent>/<name>` per controller mount
/// (memory, pids, cpu, cpuacct, freezer; co-mounted controllers such as `cpu,cpuacct` share one).
public struct CgroupV1Driver: CgroupDriver {
    /// The controllers a sandbox needs.
    static let controllers = ["memory", "pids", "cpu", "cpuacct", "freezer"]
    /// The order their directories are made and joined. Freezer comes first: a process that joined only
    /// part of the hierarchies must still be one `killAll` can reach.
    static let joinOrder = ["freezer", "memory", "pids", "cpu", "cpuacct"]

    public let placements: [CgroupPlacement]
    /// Each controller's mount point.
    let mounts: [String: String]
    /// The parent cgroup's directory per controller.
    let parents: [String: String]
    /// Each parent directory once, in `joinOrder`.
    let uniqueParents: [String]
    /// Whether memory.memsw.* exists: when it does, swap is limited along with memory.
    let limitsSwap: Bool

    /// A driver for the v1 hierarchies in `mounts` (controller name → mount point), with every sandbox's
    /// cgroup inside a cgroup named `parent`. Refuses when a controller is missing or when swap is on
    /// but not accounted (a sandbox could then use swap beyond its memory limit).
    public init(mounts: [String: String], parent: String = "brig") throws(SandboxError) {
        try self.init(mounts: mounts, parent: parent, readFile: CgroupFS.readIfPresent)
    }

    init(mounts: [String: String], parent: String, readFile: (String) -> String?) throws(SandboxError) {
        let parent = try CgroupFS.component(parent, what: "parent cgroup")
        let missing = Self.controllers.filter { mounts[$0] == nil }
        guard missing.isEmpty else {
            throw SandboxError(
                .cgroupUnavailable, "cgroup v1 lacks \(missing.joined(separator: ", ")): cannot enforce limits")
        }
        var parents: [String: String] = [:]
        for controller in Self.joinOrder {
            parents[controller] = (mounts[controller] ?? "") + "/" + parent
        }
        let memoryMount = mounts["memory"] ?? ""
        let limitsSwap = readFile(memoryMount + "/memory.memsw.limit_in_bytes") != nil
        if !limitsSwap {
            let swapTotal = readFile("/proc/meminfo").flatMap { CgroupFS.value(of: "SwapTotal:", in: $0) }
            // Unknown counts as on: refusing is safe, running without a swap limit is not.
            guard swapTotal == 0 else {
                throw SandboxError(
                    .cgroupUnavailable,
                    "swap is on but not accounted (boot with swapaccount=1): "
                        + "memory.memsw.limit_in_bytes is missing in \(memoryMount)")
            }
        }
        self.parents = parents
        self.mounts = mounts
        self.uniqueParents = Self.joinOrder.compactMap { parents[$0] }.reduce(into: []) { unique, parent in
            if !unique.contains(parent) { unique.append(parent) }
        }
        self.limitsSwap = limitsSwap
        self.placements = Self.controllers.map {
            CgroupPlacement(controller: $0, version: 1, directory: parents[$0] ?? "")
        }
    }

    public func create(name: String, limits: CgroupLimits) throws(SandboxError) -> any SandboxCgroup {
        let name = try CgroupFS.component(name, what: "cgroup")
        try limits.validate()
        var directories: [String: String] = [:]
        var made: [String] = []
        var hierarchies: [(controller: String, mount: String)] = []
        do {
            for controller in Self.joinOrder {
                let parent = parents[controller] ?? ""
                let directory = parent + "/" + name
                if !made.contains(directory) {
                    try CgroupFS.makeChild(directory, in: parent)
                    made.append(directory)
                    hierarchies.append((controller, mounts[controller] ?? ""))
                }
                directories[controller] = directory
            }
            let group = CgroupV1Group(
                directories: directories, order: made, hierarchies: hierarchies, parents: uniqueParents,
                pidsLimit: limits.pids)
            try write(limits, into: group)
            return group
        } catch {
            for directory in made.reversed() {
                try? CgroupFS.removeDirectory(directory, retryingUntil: .now)
            }
            for parent in uniqueParents {
                CgroupFS.removeIfUnused(parent)
            }
            throw error
        }
    }

    private func write(_ limits: CgroupLimits, into group: CgroupV1Group) throws(SandboxError) {
        let memory = String(limits.memoryBytes)
        // memory first: memsw may never be below it, and both start unlimited.
        try CgroupFS.write(memory, to: group.memory + "/memory.limit_in_bytes")
        if limitsSwap {
            try CgroupFS.write(memory, to: group.memory + "/memory.memsw.limit_in_bytes")
        }
        try CgroupFS.write(String(CgroupLimits.cfsPeriodMicroseconds), to: group.cpu + "/cpu.cfs_period_us")
        try CgroupFS.write(String(try limits.cfsQuotaMicroseconds()), to: group.cpu + "/cpu.cfs_quota_us")
        try CgroupFS.write(String(limits.pids), to: group.pids + "/pids.max")
    }
}
