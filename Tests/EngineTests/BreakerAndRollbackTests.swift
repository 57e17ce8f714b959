import API
import Catalog
@testable import Engine
import Foundation
import Testing

/// Fault injection on the catalog: a language whose manifest is broken, at start and on reload.
@Suite(.serialized) struct BreakerAndRollbackTests {
    static let alice = JobEngineTests.alice
    static let root0 = JobEngineTests.root0

    @Test func aBrokenLanguageOpensItsBreakerOthersKeepWorkingAndAFixedReloadClosesIt() async throws {
        let fixture = try HealthFixture()
        try fixture.breakManifest("perl")
        let engine = try fixture.engine()
        defer { engine.shutdown(grace: .seconds(1)) }
        let events = EventLog(engine)

        // Threshold 2: two failed self-tests open perl's breaker, and only perl's.
        for _ in 0..<2 {
            let report = try await engine.selfTest(peer: Self.root0)
            #expect(report.results.first { $0.language == "perl" }?.passed == false)
            #expect(report.results.filter { $0.language != "perl" }.allSatisfy { $0.passed }, "\(report)")
        }
        let opened = try await events.wait(for: .breakerOpened)
        #expect(opened.detail["language"] == "perl")
        #expect(opened.detail["reason"]?.contains(fixture.notExecutable) == true, "\(opened)")
        do {
            _ = try await engine.submit(JobRequest(language: "perl", source: "print 1"), peer: Self.alice)
            Issue.record("a job of a language with an open breaker was accepted")
        } catch {
            #expect(error.code == "language_unavailable")
            #expect(error.httpStatus == 503)
            #expect(error.field == "language")
            #expect(error.message.contains(fixture.notExecutable), "\(error.message)")
        }
        let bash = try await engine.submit(JobRequest(language: "bash", source: "echo fine"), peer: Self.alice)
        #expect(try await engine.wait(for: bash.id, peer: Self.alice).status == .ok)
        let report = await engine.health()
        #expect(report.status == "degraded")
        #expect(report.readiness.ready, "other languages are available: \(report.readiness)")
        #expect(report.breakers.first { $0.language == "perl" }?.state == "open")
        #expect(report.breakers.first { $0.language == "python" }?.state == "closed")

        // Fixed and reloaded: the reload's self-test passes and closes the breaker.
        try fixture.restore("perl")
        let reloaded = engine.reloadCatalog()
        #expect(reloaded.errors.isEmpty, "\(reloaded.errors)")
        let closed = try await events.wait(for: .breakerClosed)
        #expect(closed.detail["language"] == "perl")
        let perl = try await engine.submit(JobRequest(language: "perl", source: "print \"ok\\n\""), peer: Self.alice)
        #expect(try await engine.wait(for: perl.id, peer: Self.alice).result?.stdout.text == "ok\n")
        #expect(await engine.health().status == "healthy")
    }

    @Test func internalErrorsOfJobsOpenTheBreakerAndAHalfOpenProbeDecides() async throws {
        let fixture = try HealthFixture()
        try fixture.breakManifest("python")
        let engine = try fixture.engine { $0.breakerCoolDown = .milliseconds(300) }
        defer { engine.shutdown(grace: .seconds(1)) }
        let events = EventLog(engine)
        for _ in 0..<2 {
            let job = try await engine.submit(JobRequest(language: "python", source: "print(1)"), peer: Self.alice)
            #expect(try await engine.wait(for: job.id, peer: Self.alice).status == .internalError)
        }
        try await events.wait(for: .breakerOpened)
        // After the cool-down the health thread probes it (half-open) with a self-test, which fails: open again.
        try await events.wait(for: .breakerOpened, count: 2, seconds: 30)
        #expect(events.of(.breakerClosed).isEmpty)
        #expect(await engine.health().selfTests.first { $0.language == "python" }?.passed == false)
        // Fixed on disk (no reload): the next probe passes and closes it.
        try fixture.restore("python")
        let fixed = CatalogState(OperatorCatalog(directory: fixture.catalogDirectory))
        engine.catalog.withLock { $0 = fixed }
        try await events.wait(for: .breakerClosed, seconds: 30)
    }

    @Test func aReloadedBrokenManifestRollsBackAndFlappingEscalates() async throws {
        let fixture = try HealthFixture()
        let engine = try fixture.engine { $0.rollbackLimit = 2 }
        defer { engine.shutdown(grace: .seconds(1)) }
        let events = EventLog(engine)

        for attempt in 1...2 {
            try fixture.breakManifest("bash", variant: attempt)
            let report = engine.reloadCatalog()
            #expect(report.errors.contains { $0.contains("rolled back") }, "\(report.errors)")
            let rolledBack = try await events.wait(for: .configRolledBack, count: attempt)
            #expect(rolledBack.detail["language"] == "bash")
            // The known-good manifest serves.
            let job = try await engine.submit(JobRequest(language: "bash", source: "echo still"), peer: Self.alice)
            #expect(try await engine.wait(for: job.id, peer: Self.alice).result?.stdout.text == "still\n")
        }
        // The third broken reload within the window is not rolled back: it escalates and bash is unavailable.
        try fixture.breakManifest("bash", variant: 3)
        let report = engine.reloadCatalog()
        #expect(report.errors.contains { $0.contains("rolled back 2 times") }, "\(report.errors)")
        let escalation = try await events.wait(for: .escalation)
        #expect(escalation.detail["language"] == "bash")
        #expect(events.of(.configRolledBack).count == 2)
        try await events.wait(for: .breakerOpened)
        await #expect(throws: APIError.self) {
            _ = try await engine.submit(JobRequest(language: "bash", source: "true"), peer: Self.alice)
        }
        // Fixed: the next reload takes it and closes the breaker.
        try fixture.restore("bash")
        #expect(engine.reloadCatalog().errors.isEmpty)
        try await events.wait(for: .breakerClosed)
        let job = try await engine.submit(JobRequest(language: "bash", source: "echo back"), peer: Self.alice)
        #expect(try await engine.wait(for: job.id, peer: Self.alice).result?.stdout.text == "back\n")
    }
}
