import API
@testable import Engine
import Testing

@Suite struct HealthBookkeepingTests {
    @Test func theErrorWindowCountsOnlyItsLastSeconds() {
        let window = ErrorWindow(windowSeconds: 10)
        window.record(internalError: false, at: 100)
        window.record(internalError: true, at: 100)
        window.record(internalError: true, at: 105)
        #expect(window.rate(at: 105) == ErrorRate(windowSeconds: 10, finished: 3, internalErrors: 2))
        #expect(window.rate(at: 109) == ErrorRate(windowSeconds: 10, finished: 3, internalErrors: 2))
        // Second 100 has left the window; its ring slot is reused by second 110.
        #expect(window.rate(at: 110) == ErrorRate(windowSeconds: 10, finished: 1, internalErrors: 1))
        window.record(internalError: false, at: 110)
        #expect(window.rate(at: 110) == ErrorRate(windowSeconds: 10, finished: 2, internalErrors: 1))
        #expect(window.rate(at: 200) == ErrorRate(windowSeconds: 10, finished: 0, internalErrors: 0))
    }

    @Test func rollbacksAreLimitedPerLanguageWithinTheWindow() {
        var limiter = RollbackLimiter(limit: 2, window: .seconds(60))
        let start = ContinuousClock.now
        var answers: [Bool] = []
        answers.append(limiter.allow("python", now: start))
        answers.append(limiter.allow("python", now: start + .seconds(1)))
        answers.append(limiter.allow("python", now: start + .seconds(2)))
        // Another language has its own count.
        answers.append(limiter.allow("ruby", now: start + .seconds(2)))
        answers.append(limiter.allow("python", now: start + .seconds(59)))
        // The first rollback has left the window.
        answers.append(limiter.allow("python", now: start + .seconds(61)))
        #expect(answers == [true, true, false, true, false, true])
        #expect(limiter.recentCount("python", now: start + .seconds(61)) == 1, "only the last one is within 60 s of second 61")
    }

    @Test func theQueueKnowsHowLongItsOldestItemWaited() async throws {
        let queue = FairQueue<Int>(capacity: 10)
        #expect(queue.oldestAge == nil)
        #expect(queue.push(1, owner: 1))
        try await Task.sleep(for: .milliseconds(50))
        #expect(queue.push(2, owner: 2))
        let age = try #require(queue.oldestAge)
        #expect(age >= .milliseconds(50))
        #expect(queue.take() == 1)
        #expect(queue.oldestAge != nil)
        #expect(queue.take() == 2)
        #expect(queue.oldestAge == nil)
    }
}
