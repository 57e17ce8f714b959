import CSandbox
#if canImport(Glibc)
import Glibc
#endif

/// One launch, from clone to reaped: the parent's side of the launch path. It feeds stdin, drains stdout
/// and stderr, watches the wall clock, the cgroup's CPU time, seccomp notifications and cancellation, and
/// on every way out kills the whole sandbox before it reads the accounting.
struct SandboxRun {
    let spec: SandboxSpec
    let identity: SandboxIdentity
    let cgroup: any SandboxCgroup
    let steps: [MountStep]
    let launcher: SandboxLauncher
    let cancellation: CancellationSignal?
    let onOutput: ((OutputStreamKind, UnsafeRawBufferPointer) -> Void)?
    /// Called once the program has been set going (cold: its sandbox cloned; warm: the request sent), before
    /// the run is supervised: work the caller does here overlaps the program's.
    var onStart: (() -> Void)? = nil

    /// Why brig ended the run early.
    enum KillReason: Equatable {
        case timeout(TimeoutLimit)
        case seccomp(String)
        case cancelled
        case outputLimit
    }

    /// How long to wait for output to end once the sandbox is gone (only a stray fd copy could hold it open).
    static let drainGrace = Duration.seconds(2)
    /// How often a kill is repeated while the sandbox's init has not exited.
    static let killRetry = Duration.milliseconds(200)

    func execute() throws(SandboxError) -> SandboxResult {
        let clock = ContinuousClock()
        let started = clock.now
        var (launch, channels) = try Self.start(identity: identity, cgroup: cgroup, network: spec.network) { streams in
            launcher.launchPlan(spec, cgroup: cgroup, steps: steps, streams: streams)
        }
        defer { channels.closeAll() }
        onStart?()
        return supervise(launch: launch, channels: &channels, clock: clock, started: started)
    }

    /// `warm`: the program is already there, so its wall time starts at `started`; and its init reports the
    /// program's end only once the sandbox is empty, so the run is over then (the init's own exit is reaped
    /// later, by `WarmSandbox.close`, with the cgroup).
    func supervise(
        launch: brig_launch, channels: inout Channels, clock: ContinuousClock, started: ContinuousClock.Instant,
        warm: Bool = false
    ) -> SandboxResult {
        let limits = spec.limits
        var stdoutCapture = OutputCapture(cap: limits.outputBytes)
        var stderrCapture = OutputCapture(cap: limits.outputBytes)
        var reports = ReportReader()
        var input = Input(pending: spec.stdin, staysOpen: spec.control != nil)
        if input.isDone { channels.closeStdin() }

        var spawnedAt: ContinuousClock.Instant? = warm ? started : nil
        var endedAt: ContinuousClock.Instant?
        var failure: brig_report?
        var exitStatus: Int32?
        var killReason: KillReason?
        var lastKill: ContinuousClock.Instant?
        var initExitedAt: ContinuousClock.Instant?
        var wallDeadline = started + limits.wallTime
        let cpuLimitNanoseconds = UInt64(limits.cpuTime.components.seconds) * 1_000_000_000
            + UInt64(limits.cpuTime.components.attoseconds / 1_000_000_000)
        var nextCPUCheck = started + Self.earliestCPUExhaustion(remaining: cpuLimitNanoseconds, cpus: limits.cpus)

        func end(_ reason: KillReason, at now: ContinuousClock.Instant) {
            if killReason == nil {
                killReason = reason
                endedAt = endedAt ?? now
            }
            lastKill = now
            kill(launch.pid, SIGKILL)  // init: its exit takes the whole pid namespace with it
            try? cgroup.killAll()  // and anything in the cgroup, should something have left the namespace
        }

        // Left uninitialized: a page of it is touched only when that much output arrives at once. Zeroed, all
        // sixteen were touched on every run, after malloc had given them back to the kernel: the daemon's page
        // faults per sequential job went from 76 to 64 without it.
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        defer { scratch.deallocate() }
        while !(initExitedAt != nil && channels.outputClosed && channels.report < 0)
            && !(warm && exitStatus != nil && channels.outputClosed) {
            let now = clock.now
            // Deadlines.
            if killReason == nil && initExitedAt == nil {
                if now >= wallDeadline {
                    end(.timeout(.wall), at: now)
                } else if now >= nextCPUCheck {
                    let used = cgroup.cpuTimeNanoseconds()
                    if used >= cpuLimitNanoseconds {
                        end(.timeout(.cpu), at: now)
                    } else {
                        nextCPUCheck = now + Self.earliestCPUExhaustion(remaining: cpuLimitNanoseconds - used, cpus: limits.cpus)
                    }
                }
            } else if initExitedAt == nil, let last = lastKill, now - last >= Self.killRetry {
                end(killReason ?? .cancelled, at: now)
            }
            if let exited = initExitedAt, now - exited >= Self.drainGrace { break }

            var wake: ContinuousClock.Instant
            if let exited = initExitedAt {
                wake = exited + Self.drainGrace
            } else if let last = lastKill {
                wake = last + Self.killRetry
            } else {
                wake = min(wallDeadline, nextCPUCheck)
            }
            var fds = PollSet()
            fds.add(channels.stdout, events: POLLIN)
            fds.add(channels.stderr, events: POLLIN)
            fds.add(channels.report, events: POLLIN)
            fds.add(initExitedAt == nil ? channels.pidfd : -1, events: POLLIN)
            fds.add(channels.listenerSocket, events: POLLIN)
            fds.add(channels.seccompListener, events: POLLIN)
            fds.add(killReason == nil ? (cancellation?.fd ?? -1) : -1, events: POLLIN)
            fds.add(input.hasPending ? channels.stdin : -1, events: POLLOUT)
            fds.add(initExitedAt == nil ? (spec.control?.fd ?? -1) : -1, events: POLLIN)
            let timeout = max(0, Self.milliseconds(wake - now))
            if fds.poll(timeoutMilliseconds: timeout) < 0 && errno != EINTR { break }
            let after = clock.now

            if fds.ready(channels.stdout) {
                drain(&channels.stdout, into: &stdoutCapture, kind: .stdout, scratch: scratch)
                if stdoutCapture.overflowed && limits.outputOverflow == .kill { end(.outputLimit, at: after) }
            }
            if fds.ready(channels.stderr) {
                drain(&channels.stderr, into: &stderrCapture, kind: .stderr, scratch: scratch)
                if stderrCapture.overflowed && limits.outputOverflow == .kill { end(.outputLimit, at: after) }
            }
            if fds.ready(channels.report) {
                if !reports.read(from: channels.report) { channels.closeReport() }
                for message in reports.take() {
                    switch message.kind {
                    case Int32(BRIG_REPORT_SPAWNED.rawValue):
                        // Init goes on once the program has exec'd. A warm run's program started
                        // with the request (`spawnedAt` is set), a cold one's now.
                        if spawnedAt == nil {
                            spawnedAt = after
                            wallDeadline = after + limits.wallTime
                        }
                    case Int32(BRIG_REPORT_EXITED.rawValue):
                        exitStatus = message.detail
                        endedAt = endedAt ?? after
                    default:
                        failure = failure ?? message
                        endedAt = endedAt ?? after
                    }
                }
            }
            if fds.ready(channels.listenerSocket) {
                let received = brig_receive_fd(channels.listenerSocket)
                if received >= 0 { channels.seccompListener = received }
                channels.closeListenerSocket()
            }
            if fds.ready(channels.seccompListener) {
                var number: Int32 = 0
                var arch: UInt32 = 0
                if brig_seccomp_notification(channels.seccompListener, &number, &arch) == 0 {
                    end(.seccomp(SyscallName(number: number, arch: arch).description), at: after)
                } else if fds.hungUp(channels.seccompListener) {
                    channels.closeSeccompListener()
                }
            }
            if let signal = cancellation, fds.ready(signal.fd), killReason == nil {
                end(.cancelled, at: after)
            }
            if let control = spec.control, fds.ready(control.fd) {
                for command in control.take() {
                    switch command {
                    case .input(let bytes):
                        if channels.stdin >= 0 { input.pending += bytes }
                    case .closeInput:
                        input.staysOpen = false
                    case .signal(let number):
                        if initExitedAt == nil { Self.signalProgram(ofInit: launch.pid, number) }
                    }
                }
                if input.isDone { channels.closeStdin() }
            }
            if fds.ready(channels.stdin) {
                feedStdin(&channels, input: &input)
            }
            if fds.ready(channels.pidfd) {
                initExitedAt = after
                endedAt = endedAt ?? after
                channels.closeStdin()
            }
        }
        if warm && exitStatus != nil && initExitedAt == nil {
            kill(launch.pid, SIGKILL)  // alone in its sandbox, on its way out
        } else {
            var initStatus: Int32 = 0
            while waitpid(launch.pid, &initStatus, 0) < 0 && errno == EINTR {}
            channels.initReaped = true
            // Whatever the reason the loop ended, nothing of the sandbox may outlive this call.
            try? cgroup.killAll()
        }
        let usage = cgroup.usage()

        let finished = endedAt ?? clock.now
        var result = SandboxResult(status: .ok)
        result.stdout = stdoutCapture.output
        result.stderr = stderrCapture.output
        (result.setupTime, result.wallTime) = Self.setupAndWallTime(started: started, spawned: spawnedAt, ended: finished)
        result.cpuUserTime = .nanoseconds(Int64(clamping: usage.cpuUserNanoseconds))
        result.cpuSystemTime = .nanoseconds(Int64(clamping: usage.cpuSystemNanoseconds))
        result.memoryPeakBytes = usage.memoryPeakBytes
        result.oomKilled = usage.oomKills > 0
        result.pidsPeak = usage.pidsPeak
        result.pidsLimitHit = usage.pidsLimitHits > 0
        classify(&result, failure: failure, killReason: killReason, exitStatus: exitStatus)
        return result
    }

    /// The status, in order of what explains the end best: brig's own failure, then what brig ended the run
    /// for, then what the kernel did (OOM), then how the program itself ended.
    private func classify(_ result: inout SandboxResult, failure: brig_report?, killReason: KillReason?, exitStatus: Int32?) {
        if let failure {
            result.status = .internalError
            result.failure = describe(failure)
            return
        }
        switch killReason {
        case .timeout(let limit):
            result.status = .timeout
            result.timeoutLimit = limit
            return
        case .seccomp(let name):
            result.status = .seccomp
            result.seccompSyscall = name
            return
        case .cancelled:
            result.status = .cancelled
            return
        case .outputLimit:
            result.status = .outputLimit
            return
        case nil:
            break
        }
        guard let exitStatus else {
            // The OOM killer picks the largest process in the cgroup, and init's copy of the daemon's address
            // space can be larger than the program: the sandbox then ends without init's report, but it ended
            // for running out of memory all the same.
            if result.oomKilled {
                result.status = .oom
                return
            }
            result.status = .internalError
            result.failure = LaunchFailure(stage: "supervise", errno: nil, message: "the sandbox ended without reporting the program's status")
            return
        }
        switch WaitStatus(exitStatus) {
        case .exited(let code):
            result.exitCode = code
            result.status = code == 0 ? .ok : (result.oomKilled ? .oom : .exitNonzero)
        case .signaled(let signal):
            result.signal = SignalName.of(signal)
            if result.oomKilled {
                result.status = .oom
            } else if signal == SIGXCPU {
                result.status = .timeout
                result.timeoutLimit = .cpu
            } else {
                result.status = .signaled
            }
        }
    }

    func describe(_ report: brig_report) -> LaunchFailure {
        let stage = String(cString: brig_stage_name(report.stage))
        let errnoText = LaunchFailure.text(of: report.err)
        let message: String
        switch report.stage {
        case Int32(BRIG_STAGE_MOUNT_OP.rawValue) where steps.indices.contains(Int(report.detail)):
            message = "cannot \(steps[Int(report.detail)].summary): \(errnoText)"
        case Int32(BRIG_STAGE_EXECVE.rawValue):
            message = "cannot execute \(spec.command[0]): \(errnoText)"
        case Int32(BRIG_STAGE_CHDIR.rawValue):
            message = "cannot enter \(spec.workingDirectory): \(errnoText)"
        default:
            message = "sandbox setup failed at \(stage): \(errnoText)"
        }
        return LaunchFailure(stage: stage, errno: report.err, message: message)
    }

    private func drain(
        _ fd: inout Int32, into capture: inout OutputCapture, kind: OutputStreamKind, scratch: UnsafeMutableRawBufferPointer
    ) {
        while fd >= 0 {
            let count = read(fd, scratch.baseAddress, scratch.count)
            if count > 0 {
                let chunk = UnsafeRawBufferPointer(rebasing: scratch[0..<count])
                let keptBefore = capture.bytes.count
                capture.append(chunk)
                let kept = capture.bytes.count - keptBefore
                if kept > 0, let onOutput { onOutput(kind, UnsafeRawBufferPointer(rebasing: chunk[0..<kept])) }
                continue
            }
            if count < 0 && (errno == EAGAIN || errno == EINTR) { return }
            close(fd)  // end of file, or an error that no retry mends
            fd = -1
        }
    }

    /// The bytes still to write to the program's stdin, and whether more may come (a control is attached).
    struct Input {
        var pending: [UInt8]
        var offset = 0
        var staysOpen: Bool

        var hasPending: Bool { offset < pending.count }
        var isDone: Bool { !hasPending && !staysOpen }
    }

    private func feedStdin(_ channels: inout Channels, input: inout Input) {
        while channels.stdin >= 0 && input.hasPending {
            let offset = input.offset
            let written = input.pending.withUnsafeBytes { buffer in
                write(channels.stdin, buffer.baseAddress.map { $0 + offset }, min(buffer.count - offset, 64 << 10))
            }
            if written > 0 {
                input.offset += written
            } else if written < 0 && (errno == EAGAIN || errno == EINTR) {
                return
            } else {
                input.staysOpen = false  // EPIPE: the program closed its stdin
                input.pending = []
                input.offset = 0
                break
            }
        }
        if !input.hasPending {
            input.pending.removeAll(keepingCapacity: true)
            input.offset = 0
        }
        if input.isDone { channels.closeStdin() }
    }

    /// Sends `number` to the program's process group (it is a session leader: setsid), found as the only child of
    /// the sandbox's init. brig's init itself is never signalled: its end is what ends the run.
    static func signalProgram(ofInit initPID: Int32, _ number: Int32) {
        guard let text = CgroupFS.readIfPresent("/proc/\(initPID)/task/\(initPID)/children") else { return }
        for child in text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap({ Int32($0) }) {
            if kill(-child, number) != 0 { kill(child, number) }
        }
    }

    /// The set-up's and the program's shares of a run that started at `started` and ended at `ended`; `spawned` is
    /// when the program started (nil: never). A program whose execve failed reports that before init reports
    /// its start, sometimes in an earlier read: it ran for no time (its wall time once came out negative).
    static func setupAndWallTime(
        started: ContinuousClock.Instant, spawned: ContinuousClock.Instant?, ended: ContinuousClock.Instant
    ) -> (setup: Duration, wall: Duration) {
        let programStarted = min(spawned ?? ended, ended)
        return (programStarted - started, ended - programStarted)
    }

    /// The soonest wall-clock moment at which `remaining` CPU time could be used up at `cpus` cores.
    static func earliestCPUExhaustion(remaining: UInt64, cpus: Double) -> Duration {
        let nanoseconds = Double(remaining) / max(cpus, 0.01)
        return max(.milliseconds(5), .nanoseconds(Int64(min(nanoseconds, 1e15))))
    }

    static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        let total = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: total)
    }
}
