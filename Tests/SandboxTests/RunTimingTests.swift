import Testing
@testable import Sandbox

/// How a run's time splits into set-up and the program's wall time.
@Suite("Run timing")
struct RunTimingTests {
    let started = ContinuousClock.now

    @Test func theProgramsTimeRunsFromItsStartToTheEnd() {
        let times = SandboxRun.setupAndWallTime(
            started: started, spawned: started + .milliseconds(2), ended: started + .milliseconds(7))
        #expect(times.setup == .milliseconds(2))
        #expect(times.wall == .milliseconds(5))
    }

    @Test func aProgramThatNeverStartedRanForNoTime() {
        let times = SandboxRun.setupAndWallTime(started: started, spawned: nil, ended: started + .milliseconds(3))
        #expect(times.setup == .milliseconds(3))
        #expect(times.wall == .zero)
    }

    /// A failed execve's report can be read before init's "spawned" (a later read): that start is after the end.
    @Test func aStartReportedAfterTheEndCountsAsNoTime() {
        let times = SandboxRun.setupAndWallTime(
            started: started, spawned: started + .milliseconds(4), ended: started + .milliseconds(3))
        #expect(times.setup == .milliseconds(3))
        #expect(times.wall == .zero)
    }
}
