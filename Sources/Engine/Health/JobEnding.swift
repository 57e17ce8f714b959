import API
import Sandbox

/// How a job ends when brig itself stopped it from outside the launcher (the watchdog, an emergency stop): the
/// run's own status would say only that the sandbox vanished.
struct JobEnding: Sendable, Equatable {
    let status: SandboxStatus
    let message: String
}
