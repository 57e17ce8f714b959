import CSandbox
#if canImport(Glibc)
import Glibc
#endif

extension SandboxLauncher {
    /// How long a warm sandbox may take to get ready before `prepare` gives up on it.
    static let warmSetupTimeout = Duration.seconds(10)

    /// Sets up a sandbox of `shape` ahead of demand — slot, workspace, cgroup (joined here on v1, off the hot
    /// path; born in it on v2), namespaces, root, capabilities dropped, seccomp loaded — and returns once its
    /// program waits for what to run. Call it on a thread that outlives the sandbox (see `WarmSandbox`).
    /// A `cancellation` cancelled (or killed with `killSandbox`) while the sandbox is being prepared makes the
    /// preparation fail at once, leaving nothing: an emergency stop does not wait for a preparation to finish.
    public func prepare(_ shape: SandboxShape, cancellation: CancellationSignal? = nil) throws(SandboxError) -> WarmSandbox {
        let template = SandboxSpec(
            command: ["/"], binds: shape.binds, limits: shape.limits, hostname: shape.hostname)
        if let problem = template.problem() {
            throw SandboxError(.invalidSpec, problem, stage: "spec")
        }
        let name = nextName()
        var cleanup = Cleanup()
        do throws(SandboxError) {
            let lease = try leaseSlot()
            cleanup.add { lease.release() }
            let workspace = try Workspace.create(
                at: "\(workDirectory)/\(name)", sizeBytes: shape.limits.workspaceBytes, owner: lease.identity)
            cleanup.add { () throws(SandboxError) in try workspace.remove() }
            let cgroup = try cgroups.create(name: name, limits: shape.limits.cgroup)
            cleanup.add { () throws(SandboxError) in try cgroup.remove() }
            cancellation?.attach(cgroup)
            cleanup.add { cancellation?.attach(nil) }  // before the cgroup goes
            let steps = try RootLayout.steps(
                binds: shape.binds, limits: shape.limits, workspacePath: workspace.path, hostname: shape.hostname)
            let (launch, channels) = try SandboxRun.start(identity: lease.identity, cgroup: cgroup) { streams in
                launchPlan(template, cgroup: cgroup, steps: steps, streams: streams, warm: true)
            }
            let warm = WarmSandbox(
                shape: shape, workspace: workspace, lease: lease, cgroup: cgroup, steps: steps, launch: launch,
                channels: channels)
            do throws(SandboxError) {
                try awaitReady(warm, cancellation: cancellation, describing: SandboxRun(
                    spec: template, identity: lease.identity, cgroup: cgroup, steps: steps, launcher: self,
                    cancellation: nil, onOutput: nil))
            } catch {
                cancellation?.attach(nil)
                warm.close()  // it owns everything now
                throw error
            }
            cancellation?.attach(nil)
            return warm
        } catch {
            cleanup.run()
            throw error
        }
    }

    /// Runs `spec` in `warm` when it accepts it (see `WarmSandbox.accepts`), otherwise as `run(_:)` does, from
    /// scratch. Either way `warm` is left for the caller to close; a run in it leaves it used.
    public func run(
        _ spec: SandboxSpec, in warm: WarmSandbox?, cancellation: CancellationSignal? = nil,
        onOutput: ((OutputStreamKind, UnsafeRawBufferPointer) -> Void)? = nil, onStart: (() -> Void)? = nil
    ) -> SandboxResult {
        guard let warm, warm.accepts(spec), spec.problem() == nil, warm.encodeRequest(spec) else {
            return run(spec, cancellation: cancellation, onOutput: onOutput, onStart: onStart)
        }
        // The watchdog and an emergency stop kill through the signal's cgroup, warm or cold.
        cancellation?.attach(warm.cgroup)
        defer { cancellation?.attach(nil) }
        return SandboxRun(
            spec: spec, identity: warm.lease.identity, cgroup: warm.cgroup, steps: warm.steps, launcher: self,
            cancellation: cancellation, onOutput: onOutput, onStart: onStart
        ).executeWarm(warm)
    }

    /// Waits for the warm program's READY (its seccomp listener fd arrives before it) or its first failure.
    private func awaitReady(
        _ warm: WarmSandbox, cancellation: CancellationSignal?, describing run: SandboxRun
    ) throws(SandboxError) {
        let clock = ContinuousClock()
        let deadline = clock.now + Self.warmSetupTimeout
        var reports = ReportReader()
        while true {
            let now = clock.now
            guard now < deadline else {
                throw SandboxError(.launchFailed, "the warm sandbox was not ready after \(Self.warmSetupTimeout)", stage: "warm")
            }
            var fds = PollSet()
            fds.add(warm.channels.report, events: POLLIN)
            fds.add(cancellation?.fd ?? -1, events: POLLIN)
            if fds.poll(timeoutMilliseconds: SandboxRun.milliseconds(deadline - now)) < 0 && errno != EINTR {
                throw .system(.launchFailed, stage: "warm", errno: errno, "cannot wait for the warm sandbox")
            }
            if let cancellation, fds.ready(cancellation.fd) {
                throw SandboxError(.launchFailed, "the warm sandbox's preparation was cancelled", stage: "warm")
            }
            guard fds.ready(warm.channels.report) else { continue }
            let open = reports.read(from: warm.channels.report)
            for message in reports.take() {
                switch message.kind {
                case Int32(BRIG_REPORT_SPAWNED.rawValue):
                    continue
                case Int32(BRIG_REPORT_READY.rawValue):
                    if warm.channels.listenerSocket >= 0 {
                        let received = brig_receive_fd(warm.channels.listenerSocket)
                        if received >= 0 { warm.channels.seccompListener = received }
                        warm.channels.closeListenerSocket()
                    }
                    if !seccomp.bytes.isEmpty && warm.channels.seccompListener < 0 {
                        throw SandboxError(.launchFailed, "the warm sandbox sent no seccomp listener", stage: "warm")
                    }
                    return
                case Int32(BRIG_REPORT_FAILED.rawValue):
                    let failure = run.describe(message)
                    throw SandboxError(.launchFailed, failure.message, stage: failure.stage, errno: failure.errno)
                default:
                    throw SandboxError(.launchFailed, "the warm sandbox reported \(message.kind) during its setup", stage: "warm")
                }
            }
            if !open {
                throw SandboxError(.launchFailed, "the warm sandbox ended during its setup", stage: "warm")
            }
        }
    }
}
