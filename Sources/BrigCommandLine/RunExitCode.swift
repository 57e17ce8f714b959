import DaemonClient
import Sandbox
#if canImport(Glibc)
import Glibc
#endif

/// `brig run`'s exit status for each way a run can end (documented in `brig run --help` and the README).
package enum RunExitCode: Int32 {
    case outputLimit = 121
    case seccomp = 122
    case oom = 123
    case timeout = 124
    case sandboxFailed = 125
    case cannotExecute = 126
    case notFound = 127
    case cancelled = 130
    case usage = 64
    case notPermitted = 77
    case configuration = 78

    package static func of(_ result: SandboxResult) -> Int32 {
        switch result.status {
        case .ok, .exitNonzero: return result.exitCode ?? 0
        case .signaled: return 128 + (signalNumber(result.signal) ?? 0)
        case .timeout: return timeout.rawValue
        case .oom: return oom.rawValue
        case .outputLimit: return outputLimit.rawValue
        case .seccomp: return seccomp.rawValue
        case .cancelled: return cancelled.rawValue
        case .internalError:
            if result.failure?.stage == "execve" {
                return result.failure?.errno == ENOENT ? notFound.rawValue : cannotExecute.rawValue
            }
            return sandboxFailed.rawValue
        case .queued, .running, .compileError, .lost: return sandboxFailed.rawValue
        }
    }

    /// A sandbox that cannot be set up at all: 77 when brig lacks the privilege (not root), else 125.
    package static func forSetup(_ error: SandboxError) -> RunExitCode {
        error.code == .notPermitted ? .notPermitted : .sandboxFailed
    }

    /// Says why on stderr ("brig: ...") and ends the process with this status.
    package func exit(saying message: String) -> Never {
        StandardStream.error.write("brig: \(message)\n")
        Glibc.exit(rawValue)
    }

    private static func signalNumber(_ name: String?) -> Int32? {
        guard let name else { return nil }
        return (1..<65).first { SignalName.of($0) == name }
    }
}
