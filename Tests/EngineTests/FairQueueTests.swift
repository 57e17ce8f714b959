import API
@testable import Engine
import Foundation
import Testing

@Suite struct FairQueueTests {
    @Test func oneClientsBacklogDoesNotStarveAnother() {
        let queue = FairQueue<String>(capacity: 2000)
        for index in 0..<1000 { #expect(queue.push("a\(index)", owner: 1)) }
        #expect(queue.push("b0", owner: 2))
        // b's single job comes second, not after a's thousand.
        #expect(queue.take() == "a0")
        #expect(queue.take() == "b0")
        #expect(queue.take() == "a1")
        #expect(queue.depth == 998)
    }

    @Test func ownersAreServedRoundRobinInArrivalOrder() {
        let queue = FairQueue<String>(capacity: 10)
        for (item, owner) in [("a1", UInt32(1)), ("a2", 1), ("b1", 2), ("c1", 3), ("b2", 2)] {
            #expect(queue.push(item, owner: owner))
        }
        let order = (0..<5).compactMap { _ in queue.take() }
        #expect(order == ["a1", "b1", "c1", "a2", "b2"])
    }

    @Test func fullQueueRefusesAndRemovalFreesRoom() {
        let queue = FairQueue<Int>(capacity: 2)
        #expect(queue.push(1, owner: 1))
        #expect(queue.push(2, owner: 2))
        #expect(!queue.push(3, owner: 3))
        #expect(queue.remove { $0 == 1 })
        #expect(!queue.remove { $0 == 1 })
        #expect(queue.push(3, owner: 3))
        #expect(queue.take() == 2)
        #expect(queue.take() == 3)
    }

    @Test func closeWakesWaitingWorkers() async {
        let queue = FairQueue<Int>(capacity: 2)
        let waiter = Task.detached { queue.take() }
        try? await Task.sleep(for: .milliseconds(50))
        queue.close()
        #expect(await waiter.value == nil)
        #expect(!queue.push(1, owner: 1))
    }

    @Test func anItemThatIsNotAdmittedWaitsAndTheOwnersOthersGoOn() {
        let queue = FairQueue<String>(capacity: 10)
        #expect(queue.push("a-blocked", owner: 1))
        #expect(queue.push("a-next", owner: 1))
        #expect(queue.push("b", owner: 2))
        let notBlocked: @Sendable (String) -> Bool = { !$0.hasSuffix("blocked") }
        #expect(queue.take(admit: notBlocked) == "a-next")
        #expect(queue.take(admit: notBlocked) == "b")
        #expect(queue.depth == 1)
        // Only the blocked item is left: a worker waits for it until it is admitted.
        #expect(queue.take() == "a-blocked")
    }
}
