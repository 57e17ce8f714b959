import CCap
import CSandbox
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs programs in sandboxes: namespaces, a cgroup with limits, a new root, no capabilities, seccomp.
///
/// Everything that does not depend on the run (the cgroup driver, the compiled seccomp program, the
/// capability count, the directories) is settled once here; `run` does only per-run work. `run` blocks its
/// thread until the sandbox is gone. A sandbox's init dies with its parent thread (PR_SET_PDEATHSIG): the
/// launch zygote's, which lives as long as the process, or the thread that cloned it itself; either way a
/// launcher that is killed leaves nothing running.
public final class SandboxLauncher: Sendable {
    public let runtimeDirectory: String
    public let cgroups: any CgroupDriver
    public let seccomp: SeccompProgram
    private let lastCapability: Int32
    /// Where inits are cloned from: the process's launch zygote, or nil for the launching thread.
    private let zygote: LaunchZygote?
    /// Names runs uniquely within this process, across launchers.
    private static let runCounter = Atomic<Int>(0)

    /// The launch zygote's process name: a child of the launching process's, whose CPU time is its launches'.
    public static let zygoteName = BRIG_ZYGOTE_NAME

    static let cloneFlags = brig_sandbox_namespaces()
    /// CLONE_NEWNET, which Glibc's Swift module does not show.
    static let newNetworkNamespace: UInt64 = 0x4000_0000

    /// `runtimeDirectory` (e.g. /run/brig) holds the slot locks, the workspaces' mount points and the empty
    /// directory every sandbox mounts its new root on; it is created if missing. `launchesFromZygote` clones
    /// the inits from the process's launch zygote (see `LaunchZygote`), started now if it is not yet: right
    /// for a process that launches many times from many threads, not for one that launches once (`brig run`).
    public convenience init(
        runtimeDirectory: String, cgroups: any CgroupDriver, seccomp: SeccompProgram, launchesFromZygote: Bool = true
    ) throws(SandboxError) {
        try self.init(
            runtimeDirectory: runtimeDirectory, cgroups: cgroups, seccomp: seccomp,
            zygote: launchesFromZygote ? LaunchZygote.shared : nil)
    }

    init(
        runtimeDirectory: String, cgroups: any CgroupDriver, seccomp: SeccompProgram, zygote: LaunchZygote?
    ) throws(SandboxError) {
        if geteuid() != 0 {
            throw SandboxError(.notPermitted, "brig must run as root: it maps sandbox uids and manages cgroups")
        }
        self.runtimeDirectory = runtimeDirectory
        self.cgroups = cgroups
        self.seccomp = seccomp
        // A program that exits without reading all its stdin closes the pipe under our writes: that must be an
        // EPIPE to handle, not a SIGPIPE that kills brig. (The sandbox's own processes get default signals back.)
        signal(SIGPIPE, SIG_IGN)
        // cap_max_bits() is the number of capabilities this kernel knows (cap_last_cap + 1).
        self.lastCapability = Int32(cap_max_bits()) - 1
        self.zygote = zygote
        for directory in [runtimeDirectory, slotsDirectory, workDirectory, rootDirectory] {
            if mkdir(directory, 0o755) != 0 && errno != EEXIST {
                throw .system(.launchFailed, stage: "runtime", errno: errno, "cannot create \(directory)")
            }
        }
    }

    var slotsDirectory: String { runtimeDirectory + "/slots" }
    var workDirectory: String { runtimeDirectory + "/work" }
    /// An empty directory: each sandbox mounts its root tmpfs here, inside its own mount namespace only.
    var rootDirectory: String { runtimeDirectory + "/root" }

    /// Leases a free identity slot for a caller that prepares a workspace before running in it.
    public func leaseSlot() throws(SandboxError) -> SlotLease {
        try SlotLease.acquire(in: slotsDirectory)
    }

    /// Creates an empty workspace owned by `lease`'s identity, for files put in before a run.
    public func makeWorkspace(for lease: SlotLease, sizeBytes: UInt64) throws(SandboxError) -> Workspace {
        try Workspace.create(at: "\(workDirectory)/\(nextName())", sizeBytes: sizeBytes, owner: lease.identity)
    }

    func nextName() -> String {
        "run-\(getpid())-\(Self.runCounter.add(1, ordering: .relaxed).newValue)"
    }

    /// Runs `spec` to its end and says how it ended. Never throws: a failure of brig itself is a result with
    /// status `internal_error` naming the step. `onStart` is called once the program is on its way (not when
    /// the launch fails first), `onOutput` with each chunk of output as it arrives.
    public func run(
        _ spec: SandboxSpec, cancellation: CancellationSignal? = nil,
        onOutput: ((OutputStreamKind, UnsafeRawBufferPointer) -> Void)? = nil, onStart: (() -> Void)? = nil
    ) -> SandboxResult {
        if let problem = spec.problem() {
            return .internalError(LaunchFailure(stage: "spec", errno: nil, message: problem))
        }
        let name = nextName()
        var cleanup = Cleanup()
        defer { cleanup.run() }
        do throws(SandboxError) {
            // Without a workspace given, nobody puts files in or takes them out: the sandbox mounts its own /work.
            let identity: SandboxIdentity
            if let given = spec.workspace {
                identity = given.owner
            } else {
                let lease = try leaseSlot()
                cleanup.add { lease.release() }
                identity = lease.identity
            }
            let cgroup = try cgroups.create(name: name, limits: spec.limits.cgroup)
            cleanup.add { () throws(SandboxError) in try cgroup.remove() }
            cancellation?.attach(cgroup)
            cleanup.add { cancellation?.attach(nil) }
            let steps = try RootLayout.steps(
                binds: spec.binds, limits: spec.limits, workspacePath: spec.workspace?.path, hostname: spec.hostname)
            var result = try SandboxRun(
                spec: spec, identity: identity, cgroup: cgroup, steps: steps, launcher: self,
                cancellation: cancellation, onOutput: onOutput, onStart: onStart
            ).execute()
            result.cleanupError = cleanup.runReportingFirstError()
            return result
        } catch {
            return .internalError(LaunchFailure(error))
        }
    }

    func launchPlan(
        _ spec: SandboxSpec, cgroup: any SandboxCgroup, steps: [MountStep], streams: LaunchPlan.Streams,
        warm: Bool = false
    ) -> LaunchPlan {
        let limits = spec.limits
        let rlimits = [
            brig_rlimit(resource: Int32(RLIMIT_CORE.rawValue), soft: 0, hard: 0),
            brig_rlimit(resource: Int32(RLIMIT_NOFILE.rawValue), soft: UInt64(limits.openFiles), hard: UInt64(limits.openFiles)),
            brig_rlimit(resource: Int32(RLIMIT_FSIZE.rawValue), soft: limits.fileSizeBytes, hard: limits.fileSizeBytes),
            brig_rlimit(resource: Int32(RLIMIT_STACK.rawValue), soft: limits.stackBytes, hard: limits.stackBytes),
        ]
        return LaunchPlan(
            command: spec.command,
            environment: spec.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" },
            workingDirectory: spec.workingDirectory,
            // A joined (session) network namespace is root's and already has lo up; the sandbox could not touch it.
            cloneFlags: spec.network == nil ? Self.cloneFlags : Self.cloneFlags & ~Self.newNetworkNamespace,
            cgroupFD: cgroup.cloneTarget,
            hostname: spec.hostname, root: rootDirectory, steps: steps, rlimits: rlimits,
            lastCapability: lastCapability, filter: seccomp.bytes, streams: streams,
            loopbackUp: spec.network == nil, warm: warm, zygote: zygote)
    }
}
