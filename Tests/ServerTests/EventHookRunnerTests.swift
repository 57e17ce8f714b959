import API
import Catalog
import Engine
import Foundation
import Logging
import Server
import TestSupport
import Testing

@Suite("Event hooks", .ownThread)
struct EventHookRunnerTests {
    /// An executable shell script in `directory`.
    static func script(_ directory: borrowing TemporaryDirectory, _ name: String, _ body: String) throws -> String {
        let path = directory.path + "/" + name
        try ("#!/bin/sh\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    static func entries(_ log: AuditLog) throws -> [AuditEntry] {
        let text = (try? String(contentsOfFile: log.path, encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { try APIJSON.decoder().decode(AuditEntry.self, from: Data($0.utf8)) }
    }

    @Test func aHookReceivesTheEventAsJSONOnStdin() throws {
        let directory = try TemporaryDirectory()
        let received = directory.path + "/received.json"
        let hook = try Self.script(directory, "page.sh", "cat > \(received); echo \"$BRIG_EVENT\" > \(received).kind")
        let audit = try AuditLog(path: directory.path + "/audit.log", logger: RouterHarness.quietLogger)
        let runner = EventHookRunner(
            configuration: EventHookConfiguration(commands: [.breakerOpened: [hook]]), audit: audit, logger: RouterHarness.quietLogger)
        let event = EngineEvent(.breakerOpened, at: FakeAdminService.at, detail: ["language": "c", "reason": "self-test: exit 1"])
        runner.handle(event)
        runner.handle(EngineEvent(.breakerClosed, detail: ["language": "c"]))
        #expect(runner.waitUntilIdle(timeout: .seconds(30)))
        let json = try #require(FileManager.default.contents(atPath: received))
        #expect(try APIJSON.decoder().decode(EngineEvent.self, from: json) == event)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(object["kind"] as? String == "breaker_opened")
        #expect(object["at"] as? String == "2026-01-02T03:04:05.678Z")
        #expect(try String(contentsOfFile: received + ".kind", encoding: .utf8) == "breaker_opened\n")
        let entries = try Self.entries(audit)
        #expect(entries.count == 1, "no hook is configured for breaker_closed")
        #expect(entries.first?.type == "hook")
        #expect(entries.first?.action == hook)
        #expect(entries.first?.event == "breaker_opened")
        #expect(entries.first?.result == "exited")
        #expect(entries.first?.message == "exited 0")
    }

    @Test func aHookPastItsTimeoutIsKilledWithWhatItStarted() throws {
        let directory = try TemporaryDirectory()
        let pidFile = directory.path + "/sleeper.pid"
        let hook = try Self.script(directory, "hang.sh", "sleep 300 & echo $! > \(pidFile); wait")
        let audit = try AuditLog(path: directory.path + "/audit.log", logger: RouterHarness.quietLogger)
        let runner = EventHookRunner(
            configuration: EventHookConfiguration(commands: [.watchdogKill: [hook]], timeout: .milliseconds(500)), audit: audit,
            logger: RouterHarness.quietLogger)
        runner.handle(EngineEvent(.watchdogKill, detail: ["job_id": "j1"]))
        #expect(runner.runsInFlight == 1, "handle returns while the hook runs")
        #expect(runner.waitUntilIdle(timeout: .seconds(30)))
        let entry = try #require(try Self.entries(audit).first)
        #expect(entry.result == "killed")
        #expect(entry.message == "still running after 500ms: killed with its process group")
        // The hook's own child went with it (it was in the hook's process group).
        let sleeper = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        let deadline = Date().addingTimeInterval(10)
        // Dead: no such process, or a zombie waiting for init to reap it.
        while ProcessState.isRunning(sleeper) && Date() < deadline { usleep(20_000) }
        #expect(!ProcessState.isRunning(sleeper))
    }

    @Test func runsBeyondTheRateLimitAreDroppedCountedAndAudited() throws {
        let directory = try TemporaryDirectory()
        let runs = directory.path + "/runs"
        let hook = try Self.script(directory, "count.sh", "echo run >> \(runs)")
        let other = try Self.script(directory, "other.sh", "echo other >> \(runs).other")
        let audit = try AuditLog(path: directory.path + "/audit.log", logger: RouterHarness.quietLogger)
        let runner = EventHookRunner(
            configuration: EventHookConfiguration(
                commands: [.readinessLost: [hook], .readinessRegained: [hook, other]], runsPerPeriod: 2, period: .seconds(3600)),
            audit: audit, logger: RouterHarness.quietLogger)
        for _ in 0..<3 { runner.handle(EngineEvent(.readinessLost, detail: ["reason": "disk"])) }
        runner.handle(EngineEvent(.readinessRegained))
        #expect(runner.waitUntilIdle(timeout: .seconds(30)))
        #expect(try String(contentsOfFile: runs, encoding: .utf8) == "run\nrun\n", "the same hook is limited across events")
        #expect(try String(contentsOfFile: runs + ".other", encoding: .utf8) == "other\n", "each hook has its own limit")
        #expect(runner.droppedRuns == 2)
        let dropped = try Self.entries(audit).filter { $0.result == "dropped" }
        #expect(dropped.map(\.event) == ["readiness_lost", "readiness_regained"])
        #expect(dropped.map { $0.detail["dropped_total"] } == ["1", "2"])
        #expect(dropped.first?.message == "not run: more than 2 runs in 1h (1 dropped so far)")
    }

    /// A hook still open for writing when its event fires (being replaced, or a descriptor a concurrent fork
    /// copied) cannot be executed for the moment (ETXTBSY): it runs once it can.
    @Test func aHookOpenForWritingRunsOnceItIsClosed() throws {
        let directory = try TemporaryDirectory()
        let ran = directory.path + "/ran"
        let hook = try Self.script(directory, "busy.sh", "echo ran > \(ran)")
        let writer = open(hook, O_WRONLY | O_CLOEXEC)
        #expect(writer >= 0)
        let audit = try AuditLog(path: directory.path + "/audit.log", logger: RouterHarness.quietLogger)
        let runner = EventHookRunner(
            configuration: EventHookConfiguration(commands: [.breakerOpened: [hook]]), audit: audit, logger: RouterHarness.quietLogger)
        runner.handle(EngineEvent(.breakerOpened, detail: ["language": "c"]))
        usleep(100_000)  // the first tries meet ETXTBSY
        close(writer)
        #expect(runner.waitUntilIdle(timeout: .seconds(30)))
        #expect(try String(contentsOfFile: ran, encoding: .utf8) == "ran\n")
        #expect(try Self.entries(audit).map(\.result) == ["exited"])
    }

    @Test func aMissingExecutableIsAuditedAsFailed() throws {
        let directory = try TemporaryDirectory()
        let audit = try AuditLog(path: directory.path + "/audit.log", logger: RouterHarness.quietLogger)
        let runner = EventHookRunner(
            configuration: EventHookConfiguration(commands: [.escalation: [directory.path + "/absent.sh"]]), audit: audit,
            logger: RouterHarness.quietLogger)
        runner.handle(EngineEvent(.escalation, detail: ["reason": "rollbacks rate-limited"]))
        #expect(runner.waitUntilIdle(timeout: .seconds(30)))
        let entry = try #require(try Self.entries(audit).first)
        #expect(entry.result == "failed")
        #expect(entry.message.contains("absent.sh: No such file or directory"), "\(entry.message)")
    }

    @Test func theRunnerConsumesTheAdminServicesEvents() async throws {
        let directory = try TemporaryDirectory()
        let received = directory.path + "/received.json"
        let hook = try Self.script(directory, "stop.sh", "cat > \(received)")
        let admin = FakeAdminService()
        let runner = EventHookRunner(
            configuration: EventHookConfiguration(commands: [.emergencyStop: [hook]]), audit: nil, logger: RouterHarness.quietLogger)
        let consuming = Task { await runner.consume(admin.events()) }
        admin.eventFeed.yield(EngineEvent(.emergencyStop, detail: ["killed": "20"]))
        admin.eventFeed.finish()
        await consuming.value
        #expect(runner.waitUntilIdle(timeout: .seconds(30)))
        let event = try APIJSON.decoder().decode(EngineEvent.self, from: try #require(FileManager.default.contents(atPath: received)))
        #expect(event.kind == .emergencyStop && event.detail == ["killed": "20"])
    }

    @Test func theSettingsNameEveryEngineEvent() {
        #expect(HookSettings.eventNames.sorted() == EngineEvent.Kind.allCases.map(\.rawValue).sorted())
    }
}
