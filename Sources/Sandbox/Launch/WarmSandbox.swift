import CSandbox
#if canImport(Glibc)
import Glibc
#endif

/// A sandbox set up ahead of demand by `SandboxLauncher.prepare`: its slot, workspace and cgroup exist, its
/// init sits in every namespace inside the cgroup with the new root pivoted, and its program is forked,
/// stripped of capabilities and under seccomp, waiting for the one thing a request adds — what to run.
/// `SandboxLauncher.run(_:in:)` hands that over through a pipe; the sandbox serves one run only.
///
/// Lives no longer than its init's parent thread (PR_SET_PDEATHSIG): the launch zygote's, or when the init was
/// cloned without it, the thread that prepared it, which must then outlive the sandbox. Any other thread may
/// run and close it (one at a time): its processes are children of the whole daemon. `close` (or deinit) tears down what is left — init, cgroup, workspace, slot.
public final class WarmSandbox: @unchecked Sendable {
    public let shape: SandboxShape
    /// The sandbox's /work, for files put in before the run (and read after it, until `close`).
    public let workspace: Workspace
    let lease: SlotLease
    let cgroup: any SandboxCgroup
    let steps: [MountStep]
    let launch: brig_launch
    var channels: Channels
    var requestFD: Int32
    /// The request's bytes, reused: its capacity is reserved when the sandbox is prepared.
    var request: [UInt8] = []
    /// The init was reaped (by a run): its pid may belong to someone else now.
    var reaped = false
    /// A run took it.
    public private(set) var used = false
    private var closed = false

    init(
        shape: SandboxShape, workspace: Workspace, lease: SlotLease, cgroup: any SandboxCgroup, steps: [MountStep],
        launch: brig_launch, channels: Channels
    ) {
        self.shape = shape
        self.workspace = workspace
        self.lease = lease
        self.cgroup = cgroup
        self.steps = steps
        self.launch = launch
        self.channels = channels
        self.requestFD = launch.request_fd
        request.reserveCapacity(64 << 10)
    }

    /// Whether `spec` can run here: same shape, this sandbox's workspace (or none given), and no session network
    /// to join (a warm sandbox has its own).
    public func accepts(_ spec: SandboxSpec) -> Bool {
        !used && !closed && spec.network == nil && (spec.workspace == nil || spec.workspace === workspace)
            && SandboxShape(spec) == shape
    }

    func markUsed() { used = true }

    /// Kills every process of the sandbox at once, from any thread, without reaping or removing anything
    /// (`close` does that later): an emergency stop's kill of a sandbox that waits for a job.
    public func killProcesses() {
        try? cgroup.killAll()
    }

    /// Ends the sandbox if it still runs and removes its cgroup and workspace and frees its slot. Returns the
    /// first failure's text; safe to call twice.
    @discardableResult
    public func close() -> String? {
        guard !closed else { return nil }
        closed = true
        used = true
        if requestFD >= 0 {
            Glibc.close(requestFD)  // an unused program reads end of file and leaves quietly
            requestFD = -1
        }
        if !reaped {
            kill(launch.pid, SIGKILL)
            var ignored: Int32 = 0
            while waitpid(launch.pid, &ignored, 0) < 0 && errno == EINTR {}
            reaped = true
        }
        channels.closeAll()
        var cleanup = Cleanup()
        cleanup.add { [lease] in lease.release() }
        cleanup.add { [workspace] () throws(SandboxError) in try workspace.remove() }
        cleanup.add { [cgroup] () throws(SandboxError) in
            try cgroup.killAll()
            try cgroup.remove()
        }
        return cleanup.runReportingFirstError()
    }

    deinit { close() }
}
