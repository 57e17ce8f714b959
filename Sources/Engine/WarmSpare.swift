import API
import Foundation
import Sandbox

/// A worker's spare sandbox, prepared and torn down on a thread of its own so that neither is on the worker's
/// path: the worker takes the spare as a job starts and hands it back once the job's end is stored; the thread
/// then prepares the next one of the same shape (once the end is answered, or at once when the next job asks
/// for it) and closes the used one. One sandbox per worker at a time: a long job holds no second one, and an
/// emergency stop finds no preparation racing the running jobs.
///
/// The thread lives as long as the spare: a warm sandbox's init dies with the thread that prepared it when no
/// zygote cloned it, so the thread ends only in `stop`, after it closed everything it prepared.
final class WarmSpare: @unchecked Sendable {
    private let condition = NSCondition()
    /// The shape to keep ready: the last one taken. Nil until the first take, after a failure and after `discard`.
    private var wanted: SandboxShape?
    private var ready: WarmSandbox?
    /// A spare was taken and not handed back yet: the next one waits for it.
    private var inUse = false
    /// Used, unwanted or discarded sandboxes to close.
    private var retired: [WarmSandbox] = []
    private var stopping = false
    private var finished = false
    private let prepare: @Sendable (SandboxShape, CancellationSignal?) -> WarmSandbox?
    /// The signal of the preparation under way, if any: `discard` cancels it.
    private var preparation: CancellationSignal?
    /// How long after a hand-back the thread waits before it prepares and closes, unless a job asks for the
    /// spare sooner: the job's end is being answered then. When a preparation cloned this daemon (its page
    /// tables copied while every other thread's page faults waited, then its pages copied as they were
    /// written) that held the answer up by as long again (p90 of sequential jobs 5.2 -> 4.2 ms without it);
    /// with the launch zygote doing the clone, no allowance measured the same, and it stays for the
    /// preparation's other work on the answer's cores.
    private let answerAllowance: TimeInterval
    /// Until when the thread leaves a handed-back sandbox alone and prepares nothing (see `answerAllowance`).
    private var holdUntil: Date?

    /// `prepare` makes a sandbox of a shape, or nil when none can be had now (then none is tried again until the
    /// next `take`); the signal it is given reaches the sandbox while it is being prepared.
    init(
        name: String, answerAllowance: TimeInterval = 0.001,
        prepare: @escaping @Sendable (SandboxShape, CancellationSignal?) -> WarmSandbox?
    ) {
        self.answerAllowance = answerAllowance
        self.prepare = prepare
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    /// A spare of `shape`, waiting while one is being prepared (usually it is ready: it was prepared after the
    /// previous job); nil when none can be had (the caller launches from scratch). The next spare will have
    /// `shape`.
    func take(_ shape: SandboxShape) -> WarmSandbox? {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping, !inUse else { return nil }
        wanted = shape
        holdUntil = nil  // a job is waiting: no answer to leave room for
        condition.broadcast()
        while ready?.shape != shape && wanted == shape && !stopping { condition.wait() }
        var spare: WarmSandbox?
        if let candidate = ready, candidate.shape == shape, !candidate.used {
            spare = candidate
            ready = nil
            inUse = true
        }
        condition.broadcast()
        return spare
    }

    /// Hands a taken sandbox back, used or not: it is closed after the next one is prepared, both after the
    /// answer allowance.
    func retire(_ warm: WarmSandbox) {
        condition.lock()
        inUse = false
        retired.append(warm)
        holdUntil = Date(timeIntervalSinceNow: answerAllowance)
        condition.broadcast()
        condition.unlock()
    }

    /// Kills the ready spare and one being prepared at once (the spare's thread then closes them) and prepares
    /// none until the next `take`: an emergency stop leaves no sandbox process behind.
    func discard() {
        condition.lock()
        wanted = nil
        preparation?.cancel()
        _ = try? preparation?.killSandbox()
        if let spare = ready {
            spare.killProcesses()
            retired.append(spare)
        }
        ready = nil
        condition.broadcast()
        condition.unlock()
    }

    /// Closes everything and ends the thread; returns once it has.
    func stop() {
        condition.lock()
        stopping = true
        wanted = nil
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func run() {
        condition.lock()
        while true {
            if let hold = holdUntil, !stopping {
                if hold.timeIntervalSinceNow > 0 {
                    _ = condition.wait(until: hold)
                    continue
                }
                holdUntil = nil
            }
            if let stale = ready, stale.shape != wanted {
                retired.append(stale)
                ready = nil
            }
            // Preparing first: a job may be waiting for it; closing can wait.
            if let shape = wanted, ready == nil, !inUse {
                let signal = try? CancellationSignal()
                preparation = signal
                condition.unlock()
                let spare = prepare(shape, signal)
                condition.lock()
                preparation = nil
                if let spare {
                    if wanted == shape { ready = spare } else { retired.append(spare) }
                } else if wanted == shape {
                    wanted = nil  // cannot be had now: the next take asks again
                }
                condition.broadcast()
                continue
            }
            if !retired.isEmpty {
                let closing = retired
                retired = []
                condition.unlock()
                for warm in closing { warm.close() }
                condition.lock()
                continue
            }
            if stopping { break }
            condition.wait()
        }
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}
