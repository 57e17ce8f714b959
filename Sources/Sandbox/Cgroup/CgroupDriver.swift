/// Creates the cgroups that hold sandboxes, on whichever hierarchy this host enforces limits with.
///
/// One driver per host, chosen once at start by `CgroupDetector`: `CgroupV1Driver` where memory, pids,
/// cpu and cpuacct are v1 controllers (hybrid hosts), `CgroupV2Driver` on the unified hierarchy.
public protocol CgroupDriver: Sendable {
    /// Which hierarchy and controller directories are used, for the start-up log and health output.
    var placements: [CgroupPlacement] { get }

    /// Creates an empty cgroup named `name` (under brig's parent cgroup) with `limits` written.
    func create(name: String, limits: CgroupLimits) throws(SandboxError) -> any SandboxCgroup
}

/// Where one controller is enforced.
public struct CgroupPlacement: Sendable, Equatable, CustomStringConvertible {
    public var controller: String
    public var version: Int
    public var directory: String

    public init(controller: String, version: Int, directory: String) {
        self.controller = controller
        self.version = version
        self.directory = directory
    }

    public var description: String { "\(controller): cgroup v\(version) at \(directory)" }
}

/// One sandbox's cgroup, from creation to removal.
public protocol SandboxCgroup: AnyObject, Sendable {
    /// An open directory fd for clone3(CLONE_INTO_CGROUP) on v2; nil on v1 (the parent uses `attach`).
    var cloneTarget: Int32? { get }
    /// Moves `pid` (and so everything it will fork) into this cgroup, on every controller.
    func attach(pid: Int32) throws(SandboxError)
    /// Runs `clone` (which clones the sandbox's init and returns its status) with the calling thread inside
    /// this cgroup, so that the init is born here and need not be moved; nil when this cgroup does not do that
    /// (the init is then attached after its clone, or on v2 cloned into `cloneTarget`).
    func clonedInside(_ clone: () -> Int32) throws(SandboxError) -> Int32?
    /// CPU time used so far by every process in the cgroup; cheap enough to poll.
    func cpuTimeNanoseconds() -> UInt64
    /// Every counter, read once the sandbox is over.
    func usage() -> CgroupUsage
    /// Kills every process in the cgroup, including stopped ones and ones that fork while it runs.
    func killAll() throws(SandboxError)
    /// Removes the cgroup (waiting briefly for killed processes to leave) and closes `cloneTarget`.
    func remove() throws(SandboxError)
}
