import API
import Foundation

/// The jobs waiting for a slot: one FIFO per submitter, served round-robin, so one client's thousand jobs
/// do not starve another's one. Bounded; `take` blocks a worker thread until there is work or the queue closes.
final class FairQueue<Item: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    /// Each owner's items with the moment each was pushed (for the health report's oldest queued age).
    private var queues: [UInt32: [(item: Item, pushedAt: ContinuousClock.Instant)]] = [:]
    /// Owners with work, in the order they are served next.
    private var turn: [UInt32] = []
    private var count = 0
    private var closed = false
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// False when the queue is full (or closed).
    func push(_ item: Item, owner: UInt32) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closed, count < capacity else { return false }
        if queues[owner, default: []].isEmpty { turn.append(owner) }
        queues[owner, default: []].append((item, .now))
        count += 1
        condition.broadcast()
        return true
    }

    /// The next item in round-robin order that `admit` accepts (it is asked under the queue's lock, so it can
    /// count what it admits); waits while there is none. Within an owner the first admitted item goes, so a job
    /// waiting for its profile's concurrency does not hold back that owner's other jobs. Nil once closed.
    /// `interrupted` is asked too, each time the worker wakes (see `wake`): when it is true, `take` returns nil
    /// at once so that the worker can drop what it holds ahead of demand (`isClosed` tells the two nils apart).
    func take(admit: (Item) -> Bool = { _ in true }, interrupted: () -> Bool = { false }) -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while !closed && !interrupted() {
            for (position, owner) in turn.enumerated() {
                guard var items = queues[owner], let index = items.firstIndex(where: { admit($0.item) }) else { continue }
                let item = items.remove(at: index).item
                turn.remove(at: position)
                if items.isEmpty {
                    queues[owner] = nil
                } else {
                    queues[owner] = items
                    turn.append(owner)
                }
                count -= 1
                return item
            }
            condition.wait()
        }
        return nil
    }

    /// Makes waiting workers look again (something `admit` depends on changed).
    func wake() {
        condition.lock()
        condition.broadcast()
        condition.unlock()
    }

    /// Removes the first item matching `predicate`; true if one was removed.
    func remove(where predicate: (Item) -> Bool) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        for (owner, items) in queues {
            guard let index = items.firstIndex(where: { predicate($0.item) }) else { continue }
            var remaining = items
            remaining.remove(at: index)
            queues[owner] = remaining.isEmpty ? nil : remaining
            if remaining.isEmpty { turn.removeAll { $0 == owner } }
            count -= 1
            return true
        }
        return false
    }

    /// How long the longest-waiting item has waited; nil when empty.
    var oldestAge: Duration? {
        condition.lock()
        defer { condition.unlock() }
        // Each owner's first item is its oldest.
        return queues.values.compactMap { $0.first?.pushedAt }.min().map { ContinuousClock.now - $0 }
    }

    var depth: Int {
        condition.lock()
        defer { condition.unlock() }
        return count
    }

    /// Wakes every waiting worker; `take` answers nil from now on.
    var isClosed: Bool {
        condition.lock()
        defer { condition.unlock() }
        return closed
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
