import API
import Sandbox
import Synchronization

/// A step while it runs: the handles that reach into its sandbox, and its output so far (bounded by its output
/// limit, as only kept bytes are forwarded).
final class RunningStep: Sendable {
    let id: String
    let background: Bool
    let control: SandboxControl
    let cancellation: CancellationSignal
    let output = Mutex<(stdout: [UInt8], stderr: [UInt8])>(([], []))
    /// Why the step is being stopped from outside, for its message ("the session ended", "cancelled").
    let stopReason = Mutex<String?>(nil)
    private let done = Atomic<Bool>(false)

    init(id: String, background: Bool, control: SandboxControl, cancellation: CancellationSignal) {
        self.id = id
        self.background = background
        self.control = control
        self.cancellation = cancellation
    }

    /// Set once its result is stored, before its "end" event: a waiter that subscribes and then sees this
    /// false is sure to get the event.
    var isFinished: Bool { done.load(ordering: .acquiring) }
    func finished() { done.store(true, ordering: .releasing) }

    func stop(because reason: String) {
        stopReason.withLock { $0 = $0 ?? reason }
        cancellation.cancel()
    }
}
