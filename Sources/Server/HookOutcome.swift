/// How one hook run ended.
public enum HookOutcome: Sendable, Equatable {
    case exited(Int32)
    case signaled(Int32)
    /// Still running at the timeout: its process group was killed.
    case killedAfterTimeout
    case failedToStart(String)

    /// The audit log's `result`.
    var result: String {
        switch self {
        case .exited: "exited"
        case .signaled: "signaled"
        case .killedAfterTimeout: "killed"
        case .failedToStart: "failed"
        }
    }
}
