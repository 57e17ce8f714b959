/// How a job ended (terminal states), or where it is (`queued`, `running`). Stable strings: clients match on them.
public enum SandboxStatus: String, Sendable, Codable, CaseIterable {
    case queued
    case running
    /// Exit code 0.
    case ok
    case exitNonzero = "exit_nonzero"
    /// Killed by a signal the sandbox did not send: see `signal`.
    case signaled
    /// Past a time limit: see `timeoutLimit` (wall or cpu).
    case timeout
    /// The memory limit was hit and the kernel's OOM killer ended the program.
    case oom
    /// More output than the profile allows, with `output_overflow = "kill"`.
    case outputLimit = "output_limit"
    /// A system call the seccomp policy forbids: see `seccompSyscall`.
    case seccomp
    case compileError = "compile_error"
    case cancelled
    /// The daemon died while the job ran.
    case lost
    /// brig failed, not the program: see `error` (stage and errno).
    case internalError = "internal_error"

    public var isTerminal: Bool { self != .queued && self != .running }
}

/// Which time limit ended a run.
public enum TimeoutLimit: String, Sendable, Codable {
    case wall
    case cpu
}
