import Foundation
import Synchronization

/// Turns for blocking tests, one per core: a test takes one before it starts and gives it back when it ends.
/// Waiting for a turn suspends the test's task; it does not hold a thread.
final class BlockingTestTurns: Sendable {
    static let shared = BlockingTestTurns(turns: max(1, ProcessInfo.processInfo.activeProcessorCount))

    private struct State {
        var free: Int
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    init(turns: Int) {
        state = Mutex(State(free: turns))
    }

    func take() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { state in
                if state.free > 0 {
                    state.free -= 1
                    return true
                }
                state.waiting.append(continuation)
                return false
            }
            if granted { continuation.resume() }
        }
    }

    func give() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiting.isEmpty {
                state.free += 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()  // the turn passes straight to the next waiter
    }
}
