import Foundation
import Store
import Testing

@Suite("JobStore sessions")
struct SessionStoreTests {
    static func session(_ id: String, owner: UInt32 = 1000, at now: Date = Date()) -> SessionRecord {
        SessionRecord(
            id: id, owner: owner, image: "host", profile: "default", request: Data("{}".utf8), slot: 3,
            workspace: "/var/lib/brig/sessions/\(id)", createdAt: now, lastUsedAt: now,
            expiresAt: now.addingTimeInterval(3600), idleSeconds: 600, caps: Data("{}".utf8))
    }

    static func step(_ id: String, session: String) -> StepRecord {
        StepRecord(id: id, sessionID: session, command: Data(#"["true"]"#.utf8), background: false, createdAt: Date())
    }

    @Test func aSessionReadsBackAndStepsAreNumberedInOrder() throws {
        let store = try JobStore.temporary()
        let inserted = try store.insertSession(Self.session("s_1"))
        #expect(try store.session(id: "s_1") == inserted)
        #expect(inserted.state == "active")
        let first = try store.insertStep(Self.step("st_1", session: "s_1"), maxSteps: 10).get()
        let second = try store.insertStep(Self.step("st_2", session: "s_1"), maxSteps: 10).get()
        #expect(first.number == 1 && second.number == 2)
        #expect(try store.session(id: "s_1")?.stepCount == 2)
        try store.markStepRunning(id: "st_2", at: Date())
        #expect(try store.steps(sessionID: "s_1", unfinished: true).map(\.id) == ["st_1", "st_2"])
        #expect(try store.finishStep(id: "st_1", status: "ok", result: Data("{}".utf8), message: nil, at: Date()))
        #expect(try store.finishStep(id: "st_1", status: "cancelled", result: nil, message: nil, at: Date()) == false)
        #expect(try store.step(id: "st_1")?.status == "ok")
        #expect(try store.steps(sessionID: "s_1", unfinished: true).map(\.id) == ["st_2"])
    }

    @Test func theStepCapAndAnEndedSessionRefuseSteps() throws {
        let store = try JobStore.temporary()
        _ = try store.insertSession(Self.session("s_cap"))
        _ = try store.insertStep(Self.step("st_a", session: "s_cap"), maxSteps: 1).get()
        #expect(try store.insertStep(Self.step("st_b", session: "s_cap"), maxSteps: 1) == .failure(.stepCap(1)))
        #expect(try store.endSession(id: "s_cap", state: "ended", reason: "deleted", at: Date()))
        #expect(try store.endSession(id: "s_cap", state: "expired", reason: "late", at: Date()) == false)
        #expect(try store.insertStep(Self.step("st_c", session: "s_cap"), maxSteps: 10) == .failure(.sessionEnded("ended")))
        let ended = try #require(try store.session(id: "s_cap"))
        #expect(ended.state == "ended" && ended.endReason == "deleted" && ended.endedAt != nil)
        #expect(throws: StoreError.self) { try store.endSession(id: "s_missing", state: "ended", reason: "x", at: Date()) }
    }

    @Test func endedSessionsPastTheCutoffArePurgedWithTheirStepsAndActiveOnesStay() throws {
        let store = try JobStore.temporary()
        let now = Date()
        _ = try store.insertSession(Self.session("s_old"))
        _ = try store.insertStep(Self.step("st_old", session: "s_old"), maxSteps: 10).get()
        try store.endSession(id: "s_old", state: "expired", reason: "idle", at: now.addingTimeInterval(-7200))
        _ = try store.insertSession(Self.session("s_recent"))
        try store.endSession(id: "s_recent", state: "ended", reason: "deleted", at: now)
        _ = try store.insertSession(Self.session("s_active", at: now.addingTimeInterval(-7200)))
        #expect(try store.purgeSessions(endedBefore: now.addingTimeInterval(-3600)) == 1)
        #expect(try store.session(id: "s_old") == nil)
        #expect(try store.step(id: "st_old") == nil)
        #expect(try store.session(id: "s_recent") != nil)
        #expect(try store.session(id: "s_active")?.state == "active")
    }

    @Test func aRestartLosesRunningStepsAndKeepsActiveSessions() throws {
        let store = try JobStore.temporary()
        _ = try store.insertSession(Self.session("s_live"))
        _ = try store.insertSession(Self.session("s_gone"))
        try store.endSession(id: "s_gone", state: "expired", reason: "idle for 10m", at: Date())
        _ = try store.insertStep(Self.step("st_run", session: "s_live"), maxSteps: 10).get()
        try store.markStepRunning(id: "st_run", at: Date())
        let active = try store.recoverSessionsAfterRestart(message: "the daemon stopped", at: Date())
        #expect(active.map(\.id) == ["s_live"])
        let lost = try #require(try store.step(id: "st_run"))
        #expect(lost.status == "lost" && lost.message == "the daemon stopped" && lost.finishedAt != nil)
    }

    @Test func sessionsListNewestFirstPerOwnerAndState() throws {
        let store = try JobStore.temporary()
        for index in 0..<5 { _ = try store.insertSession(Self.session("s_\(index)", owner: index % 2 == 0 ? 1 : 2)) }
        try store.endSession(id: "s_4", state: "ended", reason: "deleted", at: Date())
        #expect(try store.listSessions(limit: 10).map(\.id) == ["s_4", "s_3", "s_2", "s_1", "s_0"])
        #expect(try store.listSessions(owner: 1, limit: 10).map(\.id) == ["s_4", "s_2", "s_0"])
        #expect(try store.listSessions(state: "active", limit: 10).map(\.id) == ["s_3", "s_2", "s_1", "s_0"])
        let page = try store.listSessions(limit: 2)
        #expect(try store.listSessions(limit: 10, beforeSequence: page.last?.sequence).map(\.id) == ["s_2", "s_1", "s_0"])
    }

    @Test func touchingAndCPUTimeAccumulate() throws {
        let store = try JobStore.temporary()
        let start = Date(timeIntervalSince1970: 1_000_000)
        _ = try store.insertSession(Self.session("s_t", at: start))
        try store.touchSession(id: "s_t", at: start.addingTimeInterval(5))
        try store.touchSession(id: "s_t", at: start.addingTimeInterval(2))  // never moves back
        try store.addSessionCPUTime(id: "s_t", milliseconds: 120)
        try store.addSessionCPUTime(id: "s_t", milliseconds: 30)
        let read = try #require(try store.session(id: "s_t"))
        #expect(read.lastUsedAt.timeIntervalSince(start) == 5)
        #expect(read.cpuTimeMs == 150)
    }
}
