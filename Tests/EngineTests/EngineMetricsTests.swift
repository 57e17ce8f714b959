import API
@testable import Engine
import Foundation
import MetricsTestKit
import Testing

/// The metrics move as jobs run, read through swift-metrics' test factory.
@Suite(.serialized) struct EngineMetricsTests {
    static let alice = JobEngineTests.alice
    static let root0 = JobEngineTests.root0

    @Test func countersTimersAndGaugesMoveAsJobsRun() async throws {
        let metrics = TestMetrics()
        let fixture = try HealthFixture()
        try fixture.breakManifest("perl")
        let engine = try fixture.engine { $0.metricsFactory = metrics }
        defer { engine.shutdown(grace: .seconds(1)) }
        let jobs: [(JobRequest, String)] = [
            (JobRequest(language: "bash", source: "echo ok"), "ok"),
            (JobRequest(language: "bash", source: "echo ok"), "ok"),
            (JobRequest(language: "bash", source: "exit 3"), "exit_nonzero"),
            (JobRequest(language: "bash", source: "sleep 5", limits: RequestedLimits(wallTime: "300ms")), "timeout"),
            (JobRequest(language: "perl", source: "print 1"), "internal_error"),
        ]
        for (request, status) in jobs {
            let job = try await engine.submit(request, peer: Self.alice)
            #expect(try await engine.wait(for: job.id, peer: Self.alice).status.rawValue == status)
        }
        func ended(_ language: String, _ status: String) -> Int64 {
            metrics.counterTotal(label: EngineMetrics.jobs, dimensions: [("language", language), ("profile", "default"), ("status", status)])
        }
        #expect(ended("bash", "ok") == 2)
        #expect(ended("bash", "exit_nonzero") == 1)
        #expect(ended("bash", "timeout") == 1)
        let counted = metrics.counters(label: EngineMetrics.jobs).map { "\($0.dimensions): \($0.totalValue)" }
        #expect(ended("perl", "internal_error") == 1, "\(counted)")
        #expect(metrics.counterTotal(label: EngineMetrics.timeouts) == 1)
        #expect(metrics.counterTotal(label: EngineMetrics.internalErrors) == 1)
        #expect(metrics.counterTotal(label: EngineMetrics.oomKills) == 0)
        #expect(metrics.timers(label: EngineMetrics.queueWait).flatMap(\.values).count == 5)
        #expect(metrics.timers(label: EngineMetrics.run).flatMap(\.values).count == 4, "every job whose run step ran")
        // Every run step records its setup (a warm one, from a worker's spare sandbox, next to none).
        let setups = metrics.timers(label: EngineMetrics.setup).flatMap(\.values)
        #expect(setups.count == 4 && setups.allSatisfy { $0 >= 0 }, "\(setups)")
        let timedOut = try #require(metrics.timers(label: EngineMetrics.run).flatMap(\.values).max())
        #expect(timedOut >= 300_000_000, "the timed-out run lasted at least its 300 ms limit")
        #expect(try metrics.expectGauge(EngineMetrics.runningSandboxes).lastValue == 0)
        #expect(try metrics.expectGauge(EngineMetrics.queueDepth).lastValue == 0)

        // One more perl failure opens its breaker (threshold 2): its gauge says 2, bash's stays 0 after a self-test.
        _ = try await engine.selfTest(peer: Self.root0)
        #expect(try metrics.expectGauge(EngineMetrics.breakerState, [("language", "perl")]).lastValue == 2)
        #expect(try metrics.expectGauge(EngineMetrics.breakerState, [("language", "bash")]).lastValue == 0)
    }

    @Test func theWatchdogCountsItsKills() async throws {
        let metrics = TestMetrics()
        let fixture = try HealthFixture()
        let engine = try fixture.engine {
            $0.metricsFactory = metrics
            $0.watchdogGrace = .milliseconds(200)
        }
        defer { engine.shutdown(grace: .seconds(1)) }
        engine.healthState.primaryDeadlineDisabled.store(true, ordering: .relaxed)
        let job = try await engine.submit(JobRequest(language: "bash", source: "sleep 30", limits: RequestedLimits(wallTime: "500ms")), peer: Self.alice)
        #expect(try await engine.wait(for: job.id, peer: Self.alice).status == .timeout)
        #expect(metrics.counterTotal(label: EngineMetrics.watchdogKills) == 1)
        #expect(metrics.counterTotal(label: EngineMetrics.timeouts) == 1)
    }
}

