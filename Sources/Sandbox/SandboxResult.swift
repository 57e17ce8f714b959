/// Everything known about how one sandboxed run ended. A user must never have to guess why.
public struct SandboxResult: Sendable, Equatable {
    public var status: SandboxStatus
    /// The program's exit code, when it exited.
    public var exitCode: Int32?
    /// The signal that ended the program ("SIGKILL"), when one did.
    public var signal: String?
    /// With `timeout`: which limit.
    public var timeoutLimit: TimeoutLimit?
    /// With `seccomp`: the forbidden system call's name.
    public var seccompSyscall: String?
    /// With `internal_error`: the failed step.
    public var failure: LaunchFailure?

    public var stdout: CapturedOutput
    public var stderr: CapturedOutput

    /// From the start of the launch until the program was about to be exec'd.
    public var setupTime: Duration
    /// From the program's start until it ended (or was killed).
    public var wallTime: Duration
    public var cpuUserTime: Duration
    public var cpuSystemTime: Duration
    public var memoryPeakBytes: UInt64?
    /// The kernel's OOM killer killed a process of this sandbox.
    public var oomKilled: Bool
    public var pidsPeak: Int?
    /// A fork failed because the pids limit was reached.
    public var pidsLimitHit: Bool
    /// Removing the run's cgroup or workspace failed (the reaper will retry): what went wrong.
    public var cleanupError: String?

    public init(
        status: SandboxStatus, exitCode: Int32? = nil, signal: String? = nil, timeoutLimit: TimeoutLimit? = nil,
        seccompSyscall: String? = nil, failure: LaunchFailure? = nil,
        stdout: CapturedOutput = CapturedOutput(), stderr: CapturedOutput = CapturedOutput(),
        setupTime: Duration = .zero, wallTime: Duration = .zero, cpuUserTime: Duration = .zero,
        cpuSystemTime: Duration = .zero, memoryPeakBytes: UInt64? = nil, oomKilled: Bool = false,
        pidsPeak: Int? = nil, pidsLimitHit: Bool = false
    ) {
        self.status = status
        self.exitCode = exitCode
        self.signal = signal
        self.timeoutLimit = timeoutLimit
        self.seccompSyscall = seccompSyscall
        self.failure = failure
        self.stdout = stdout
        self.stderr = stderr
        self.setupTime = setupTime
        self.wallTime = wallTime
        self.cpuUserTime = cpuUserTime
        self.cpuSystemTime = cpuSystemTime
        self.memoryPeakBytes = memoryPeakBytes
        self.oomKilled = oomKilled
        self.pidsPeak = pidsPeak
        self.pidsLimitHit = pidsLimitHit
    }

    /// A result for a run that failed inside brig before or while launching.
    public static func internalError(_ failure: LaunchFailure) -> SandboxResult {
        SandboxResult(status: .internalError, failure: failure)
    }
}
