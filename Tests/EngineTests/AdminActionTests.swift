import API
import Catalog
@testable import Engine
import Foundation
import Sandbox
import Synchronization
import Testing

/// The runbook's actions against a real engine and real sandboxes: emergency stop, drain and resume, the
/// watchdog, the reaper, and who may do them.
@Suite(.serialized) struct AdminActionTests {
    static let alice = JobEngineTests.alice
    static let root0 = JobEngineTests.root0
    static let busyLoop = "while :; do :; done"

    /// The engine's sandboxes' cgroups (its launcher has a cgroup parent of its own), in the memory hierarchy
    /// or in every hierarchy; probe cgroups of the readiness check left out.
    static func ownCgroups(_ engine: JobEngine, holdingProcesses: Bool = false) -> [String] {
        let parents = engine.launcher.cgroups.placements.filter { !holdingProcesses || $0.controller == "memory" }.map(\.directory)
        return Set(parents).sorted().flatMap { parent in
            ((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [])
                .filter { $0.hasPrefix("run-") && !$0.contains("probe") }
                .map { "\(parent)/\($0)" }
                .filter { !holdingProcesses || !processes(in: $0).isEmpty }
        }
    }

    static func processes(in cgroup: String) -> [String] {
        ((try? String(contentsOfFile: "\(cgroup)/cgroup.procs", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Processes still in the engine's sandboxes' cgroups.
    static func processesInOwnCgroups(_ engine: JobEngine) -> [String] {
        ownCgroups(engine).flatMap(processes(in:))
    }

    @Test func emergencyStopKillsTwentyBusyLoopsWithinOneSecondAndKeepsTheQueue() async throws {
        let fixture = try HealthFixture()
        let engine = try fixture.engine(slots: 20)
        defer { engine.shutdown(grace: .seconds(1)) }
        let events = EventLog(engine)
        var ids: [String] = []
        for _ in 0..<20 {
            let request = JobRequest(language: "bash", source: Self.busyLoop, profile: "wide", limits: RequestedLimits(wallTime: "60s", cpuTime: "30s"))
            ids.append(try await engine.submit(request, peer: Self.alice).id)
        }
        // Every loop is running in its sandbox (20 cgroups holding processes) before the stop. The budget counts
        // this task's own looks, not the wall clock: beside the other suites it may wait a minute for a turn on
        // the cooperative pool while the loops have long been running.
        let clock = ContinuousClock()
        let waitStarted = clock.now
        var looks = 0
        while engine.healthState.sandboxes.count < 20 || Self.ownCgroups(engine, holdingProcesses: true).count < 20 {
            looks += 1
            if looks >= 1200 {
                var statuses: [String] = []
                for id in ids { statuses.append(try await engine.job(id, peer: Self.alice).status.rawValue) }
                Issue.record("""
                    the 20 loops did not all start: \(engine.healthState.sandboxes.count) registered, \
                    \(Self.ownCgroups(engine, holdingProcesses: true).count) cgroups holding processes, jobs \(statuses)
                    """)
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        print("emergency stop: 20 loops running after \(looks) looks, \(clock.now - waitStarted)")
        // A 21st job waits for a slot; it must stay queued through the stop.
        let waiting = try await engine.submit(JobRequest(language: "bash", source: "echo after", profile: "wide"), peer: Self.alice)

        // Watched from a thread of its own: the test's async task may wait for a turn on the cooperative pool
        // (other suites run beside this one), which would time the test harness instead of the stop.
        let go = DispatchSemaphore(value: 0)
        let watched = Mutex<(left: [String], elapsed: Duration)?>(nil)
        let watcherDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            go.wait()
            let clock = ContinuousClock()
            let started = clock.now
            var left = Self.processesInOwnCgroups(engine)
            while !left.isEmpty && clock.now - started < .seconds(2) {
                usleep(2_000)
                left = Self.processesInOwnCgroups(engine)
            }
            watched.withLock { $0 = (left, clock.now - started) }
            watcherDone.signal()
        }
        go.signal()
        let report = try await engine.emergencyStop(peer: Self.root0)
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                watcherDone.wait()
                continuation.resume()
            }
        }
        let (left, elapsed) = try #require(watched.withLock { $0 })
        #expect(left.isEmpty, "processes left 1 s after the emergency stop: \(left)")
        #expect(elapsed < .seconds(1), "took \(elapsed)")
        #expect(report.killed == 20, "\(report)")
        print("emergency stop: 20 busy loops dead in \(elapsed) (the kills themselves: \(report.message))")

        for id in ids {
            let done = try await engine.wait(for: id, peer: Self.alice)
            #expect(done.status == .cancelled)
            #expect(done.message == JobEngine.emergencyStopMessage, "\(done)")
        }
        #expect(try await engine.job(waiting.id, peer: Self.alice).status == .queued)
        do {
            _ = try await engine.submit(JobRequest(language: "bash", source: "true"), peer: Self.alice)
            Issue.record("a job was accepted after an emergency stop")
        } catch {
            #expect(error.code == "emergency_stopped")
            #expect(error.httpStatus == 503)
        }
        let readiness = await engine.readiness()
        #expect(!readiness.ready)
        #expect(readiness.reasons.contains { $0.contains("emergency stop") })
        #expect(await engine.health().status == "critical")
        let stopEvent = try await events.wait(for: .emergencyStop)
        #expect(stopEvent.detail["killed"] == "20")
        #expect(Self.ownCgroups(engine).isEmpty, "cgroups left: \(Self.ownCgroups(engine))")

        // Resume: the queued job runs and new jobs are taken.
        _ = try await engine.resume(peer: Self.root0)
        #expect(try await engine.wait(for: waiting.id, peer: Self.alice).result?.stdout.text == "after\n")
        let fresh = try await engine.submit(JobRequest(language: "bash", source: "echo again"), peer: Self.alice)
        #expect(try await engine.wait(for: fresh.id, peer: Self.alice).status == .ok)
        #expect(await engine.readiness().ready)
        try await events.wait(for: .readinessRegained)
    }

    @Test func drainLetsRunningJobsFinishRefusesNewOnesAndResumeTakesThemAgain() async throws {
        let fixture = try HealthFixture()
        let engine = try fixture.engine()
        defer { engine.shutdown(grace: .seconds(1)) }
        let events = EventLog(engine)
        let running = try await engine.submit(JobRequest(language: "bash", source: "sleep 1; echo done"), peer: Self.alice)
        while try await engine.job(running.id, peer: Self.alice).status == .queued { try await Task.sleep(for: .milliseconds(10)) }

        _ = try await engine.drain(peer: Self.root0)
        do {
            _ = try await engine.submit(JobRequest(language: "bash", source: "true"), peer: Self.alice)
            Issue.record("a job was accepted while draining")
        } catch {
            #expect(error.code == "draining")
            #expect(error.httpStatus == 503)
        }
        let drained = await engine.readiness()
        #expect(drained.reasons == ["draining"])
        #expect(await engine.health().status == "degraded")
        try await events.wait(for: .readinessLost)
        let finished = try await engine.wait(for: running.id, peer: Self.alice)
        #expect(finished.status == .ok)
        #expect(finished.result?.stdout.text == "done\n")

        _ = try await engine.resume(peer: Self.root0)
        let after = try await engine.submit(JobRequest(language: "bash", source: "echo back"), peer: Self.alice)
        #expect(try await engine.wait(for: after.id, peer: Self.alice).status == .ok)
        #expect(await engine.readiness().ready)
        try await events.wait(for: .readinessRegained)
        #expect(events.of(.drain).count == 1)
        #expect(events.of(.resume).count == 1)
    }

    @Test func theWatchdogKillsARunItsLauncherDoesNotEnd() async throws {
        let fixture = try HealthFixture()
        let engine = try fixture.engine { $0.watchdogGrace = .milliseconds(500) }
        defer { engine.shutdown(grace: .seconds(1)) }
        let events = EventLog(engine)
        // The test seam: the launcher's own wall and CPU deadlines are pushed an hour away.
        engine.healthState.primaryDeadlineDisabled.store(true, ordering: .relaxed)
        let job = try await engine.submit(
            JobRequest(language: "bash", source: Self.busyLoop, limits: RequestedLimits(wallTime: "1s")), peer: Self.alice)
        // The run's own cgroup: the one bash runs in (the worker's next spare sandbox waits in another), and
        // its directories in every hierarchy.
        var runCgroup: String?
        for _ in 0..<1500 where runCgroup == nil {
            runCgroup = Self.ownCgroups(engine, holdingProcesses: true).first { cgroup in
                Self.processes(in: cgroup).contains { pid in
                    (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) == "bash\n"
                }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let name = try #require(runCgroup.map { ($0 as NSString).lastPathComponent }, "the run never showed up in a cgroup")
        let runCgroups = Set(engine.launcher.cgroups.placements.map { "\($0.directory)/\(name)" })
        let done = try await engine.wait(for: job.id, peer: Self.alice)
        #expect(done.status == .timeout)
        #expect(done.message?.contains("watchdog") == true, "\(done)")
        let kill = try await events.wait(for: .watchdogKill)
        #expect(kill.detail["job_id"] == job.id)
        #expect(kill.detail["outcome"] == "killed")
        // Killed by the watchdog (about 1.5 s in), long before the launcher's pushed-out deadline.
        let ran = try #require(done.finishedAt).timeIntervalSince(try #require(done.startedAt))
        #expect(ran < 30, "ran \(ran)s")
        // The killed run's cgroups go (closed by the worker's spare thread, just after the job ended).
        var left = runCgroups
        for _ in 0..<500 where !left.isEmpty {
            try await Task.sleep(for: .milliseconds(20))
            left = runCgroups.filter { FileManager.default.fileExists(atPath: $0) }
        }
        #expect(left.isEmpty, "left: \(left)")
    }

    @Test func theReaperRemovesWhatADeadRunLeftAndSaysSo() async throws {
        let fixture = try HealthFixture()
        let engine = try fixture.engine()
        defer { engine.shutdown(grace: .seconds(1)) }
        let events = EventLog(engine)
        // A pid that existed and is gone: a finished child of ours.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let dead = child.processIdentifier
        let name = "run-\(dead)-1"
        let cgroup = try engine.launcher.cgroups.create(name: name, limits: CgroupLimits(memoryBytes: 16 << 20, cpus: 1, pids: 8))
        defer { try? cgroup.remove() }
        let workspace = "\(engine.launcher.runtimeDirectory)/work/\(name)"
        try FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: workspace) }

        let report = try await engine.reap(peer: Self.root0)
        #expect(report.removed.contains("workspace \(workspace)"), "\(report)")
        #expect(report.removed.contains { $0.hasPrefix("cgroup ") && $0.hasSuffix("/\(name)") }, "\(report)")
        #expect(!FileManager.default.fileExists(atPath: workspace))
        let event = try await events.wait(for: .leftoversReaped)
        #expect(event.detail["when"] == "on demand")
        #expect(try await engine.reap(peer: Self.root0).removed.isEmpty, "a second reap finds nothing")
    }

    @Test func onlyOperatorsMayAct() async throws {
        let fixture = try HealthFixture()
        let engine = try fixture.engine()
        defer { engine.shutdown(grace: .seconds(1)) }
        let actions: [(String, @Sendable () async throws(APIError) -> Void)] = [
            ("drain", { () throws(APIError) in _ = try await engine.drain(peer: Self.alice) }),
            ("resume", { () throws(APIError) in _ = try await engine.resume(peer: Self.alice) }),
            ("emergency-stop", { () throws(APIError) in _ = try await engine.emergencyStop(peer: Self.alice) }),
            ("reap", { () throws(APIError) in _ = try await engine.reap(peer: Self.alice) }),
            ("selftest", { () throws(APIError) in _ = try await engine.selfTest(peer: Self.alice) }),
        ]
        for (name, action) in actions {
            do {
                try await action()
                Issue.record("\(name) was allowed to a non-operator")
            } catch {
                #expect(error.httpStatus == 403, "\(name)")
                #expect(error.code == "forbidden")
            }
        }
        let stopped = engine.healthState.emergencyStopped.load(ordering: .relaxed)
        let drained = engine.healthState.adminDraining.load(ordering: .relaxed)
        #expect(!stopped && !drained)
    }

    @Test func theHealthReportSaysWhatBrigIsMadeOf() async throws {
        let fixture = try HealthFixture()
        let engine = try fixture.engine(slots: 3)
        defer { engine.shutdown(grace: .seconds(1)) }
        let job = try await engine.submit(JobRequest(language: "bash", source: "echo 1"), peer: Self.alice)
        _ = try await engine.wait(for: job.id, peer: Self.alice)
        _ = try await engine.selfTest(peer: Self.root0)
        let report = await engine.health()
        #expect(report.status == "healthy", "\(report)")
        #expect(report.version == BrigVersion.current)
        #expect(report.readiness == Readiness(ready: true, reasons: []))
        #expect(report.slots == SlotCounts(total: 3, busy: 0, free: 3))
        #expect(report.queue == QueueHealth(depth: 0, capacity: 100, oldestAgeSeconds: nil))
        #expect(report.breakers.map(\.language) == HealthFixture.languages)
        #expect(report.breakers.allSatisfy { $0.state == "closed" })
        #expect(report.selfTests.map(\.language) == HealthFixture.languages)
        #expect(report.selfTests.allSatisfy { $0.passed })
        #expect(report.cgroupControllers["memory"] != nil, "\(report.cgroupControllers)")
        #expect(["v1", "v2"].contains(report.cgroupVersion))
        #expect(report.recentErrors.finished >= 1)
        #expect(report.recentErrors.internalErrors == 0)
        #expect(report.sessions == 0)
        // It encodes with the contract's keys.
        let json = String(decoding: try APIJSON.encoder().encode(report), as: UTF8.self)
        #expect(json.contains("\"emergency_stopped\":false") || json.contains("\"emergency_stopped\" : false"), "\(json)")
    }
}
