import API
@testable import Engine
import Testing

@Suite struct CircuitBreakerTests {
    static let start = ContinuousClock.now

    @Test(arguments: [1, 2, 3, 5])
    func opensAfterThresholdConsecutiveFailures(_ threshold: Int) {
        var breaker = CircuitBreaker()
        for attempt in 1..<threshold {
            let transition = breaker.recordFailure("boom \(attempt)", threshold: threshold, now: Self.start)
            #expect(transition == nil)
            #expect(breaker.state == .closed)
        }
        let opened = breaker.recordFailure("boom", threshold: threshold, now: Self.start)
        #expect(opened == .opened(reason: "boom"))
        #expect(breaker.state == .open)
        #expect(breaker.view(language: "x").reason == "boom")
        // Further failures while open announce nothing new.
        let again = breaker.recordFailure("again", threshold: threshold, now: Self.start)
        #expect(again == nil)
    }

    @Test func aJobThatRanResetsTheCountOnlyWhileClosed() {
        var breaker = CircuitBreaker()
        var transitions: [CircuitBreaker.Transition?] = []
        transitions.append(breaker.recordFailure("a", threshold: 3))
        transitions.append(breaker.recordFailure("b", threshold: 3))
        breaker.recordJobSuccess()
        #expect(breaker.consecutiveFailures == 0)
        transitions.append(breaker.recordFailure("c", threshold: 3))
        transitions.append(breaker.recordFailure("d", threshold: 3))
        transitions.append(breaker.recordFailure("e", threshold: 3))
        #expect(transitions == [nil, nil, nil, nil, .opened(reason: "e")])
        breaker.recordJobSuccess()
        #expect(breaker.state == .open, "a late job's success must not close a breaker a self-test opened")
    }

    @Test func halfOpenAfterTheCoolDownAndOneProbeDecides() {
        var breaker = CircuitBreaker()
        _ = breaker.recordFailure("down", threshold: 1, now: Self.start)
        let early = breaker.probeIfDue(coolDown: .seconds(30), now: Self.start + .seconds(29))
        #expect(!early)
        #expect(breaker.state == .open)
        let due = breaker.probeIfDue(coolDown: .seconds(30), now: Self.start + .seconds(30))
        #expect(due)
        #expect(breaker.state == .halfOpen)
        // The probe fails: open again, for a new cool-down from now, whatever the threshold.
        let reopened = breaker.recordFailure("still down", threshold: 5, now: Self.start + .seconds(31))
        #expect(reopened == .opened(reason: "still down"))
        let tooEarly = breaker.probeIfDue(coolDown: .seconds(30), now: Self.start + .seconds(60))
        #expect(!tooEarly)
        let dueAgain = breaker.probeIfDue(coolDown: .seconds(30), now: Self.start + .seconds(61))
        #expect(dueAgain)
        // The probe passes: closed, count cleared.
        let closed = breaker.recordSelfTestPass()
        #expect(closed == .closed)
        #expect(breaker.state == .closed)
        #expect(breaker.consecutiveFailures == 0)
        #expect(breaker.view(language: "x").reason == nil)
        let nothing = breaker.recordSelfTestPass()
        #expect(nothing == nil)
    }

    @Test func forceOpenOpensAtOnce() {
        var breaker = CircuitBreaker()
        let first = breaker.forceOpen("bad manifest")
        let second = breaker.forceOpen("bad manifest")
        #expect(first == .opened(reason: "bad manifest"))
        #expect(second == nil)
        #expect(breaker.state.gauge == 2)
    }
}
