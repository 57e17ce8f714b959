import Foundation

/// The jobs waiting for a slot: one FIFO per submitter, served round-robin, so one client's thousand jobs
/// do not starve another's one. Bounded; `take` blocks a worker thread until there is work or the queue closes.
final class FairQueue<Item: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var queues: [UInt32: [Item]] = [:]
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
        queues[owner, default: []].append(item)
        count += 1
        condition.signal()
        return true
    }

    /// The next item in round-robin order; nil once closed.
    func take() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while count == 0 && !closed { condition.wait() }
        guard !closed, let owner = turn.first, var items = queues[owner], !items.isEmpty else { return nil }
        let item = items.removeFirst()
        turn.removeFirst()
        if items.isEmpty {
            queues[owner] = nil
        } else {
            queues[owner] = items
            turn.append(owner)
        }
        count -= 1
        return item
    }

    /// Removes the first item matching `predicate`; true if one was removed.
    func remove(where predicate: (Item) -> Bool) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        for (owner, items) in queues {
            guard let index = items.firstIndex(where: predicate) else { continue }
            var remaining = items
            remaining.remove(at: index)
            queues[owner] = remaining.isEmpty ? nil : remaining
            if remaining.isEmpty { turn.removeAll { $0 == owner } }
            count -= 1
            return true
        }
        return false
    }

    var depth: Int {
        condition.lock()
        defer { condition.unlock() }
        return count
    }

    /// Wakes every waiting worker; `take` answers nil from now on.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
