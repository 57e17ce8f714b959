import API
import Engine
import Foundation
import TestSupport
import Testing

/// `brig runbook` and the admin routes against a real `brig serve` whose engine is the `AdminService`:
/// the documented exit statuses in each state, the metrics moving as jobs run, hooks and the audit log.
@Suite(.serialized, .ownThread) struct RunbookTests {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func runbook(_ daemon: Daemon, _ arguments: [String]) throws -> Run {
        try runbook(socket: daemon.socket, arguments)
    }

    static func runbook(socket: String, _ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = Daemon.executable
        process.arguments = ["runbook"] + arguments + ["--socket", socket]
        let directory = NSTemporaryDirectory() + "brig-runbook-out-\(getpid())-\(RunbookTests.counter.next())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Files, not pipes: nothing can stall on a full pipe.
        for name in ["out", "err"] { _ = FileManager.default.createFile(atPath: "\(directory)/\(name)", contents: nil) }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(directory)/out"))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(directory)/err"))
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Run(
            status: process.terminationStatus,
            stdout: (try? String(contentsOfFile: "\(directory)/out", encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: "\(directory)/err", encoding: .utf8)) ?? "")
    }

    static let counter = Counter()

    @Test func aFreshDaemonIsHealthyAndReady() throws {
        let daemon = try Daemon()
        defer { daemon.stop() }
        let check = try Self.runbook(daemon, ["health-check"])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.hasPrefix("brig is healthy"))
        let ready = try daemon.request("GET", "/readyz")
        #expect(ready.status == 200, "\(ready.text)")
        #expect(try ready.json()["ready"] as? Bool == true)
        let report = try APIJSON.decoder().decode(HealthReport.self, from: try daemon.request("GET", "/v1/admin/health").body)
        #expect(report.status == "healthy")
        #expect(report.slots.total == 2)
        #expect(report.store.integrity == "ok")
    }

    @Test func drainIsDegradedAndRefusesWorkUntilResume() throws {
        let daemon = try Daemon()
        defer { daemon.stop() }
        let drain = try Self.runbook(daemon, ["drain"])
        #expect(drain.status == 0, "\(drain.stderr)")
        #expect(drain.stdout.hasPrefix("drain: "))
        let check = try Self.runbook(daemon, ["health-check"])
        #expect(check.status == 1, "\(check.stdout)")
        #expect(check.stdout.contains("draining"))
        let refused = try daemon.submit(#"{"language":"bash","source":"true"}"#)
        #expect(refused.status == 503, "\(refused.text)")
        let ready = try daemon.request("GET", "/readyz")
        #expect(ready.status == 503)
        #expect((try ready.json()["reasons"] as? [String])?.contains { $0.contains("draining") } == true, "\(ready.text)")

        #expect(try Self.runbook(daemon, ["resume"]).status == 0)
        #expect(try Self.runbook(daemon, ["health-check"]).status == 0)
        let accepted = try daemon.submit(#"{"language":"bash","source":"echo back","wait":true}"#)
        #expect(accepted.status == 200, "\(accepted.text)")
    }

    @Test func emergencyStopKillsRunningJobsAndIsCriticalUntilResume() throws {
        let daemon = try Daemon(slots: 2)
        defer { daemon.stop() }
        let jobs = try (0..<2).map { _ in try daemon.submit(#"{"language":"bash","source":"while :; do :; done"}"#).job() }
        let deadline = Date().addingTimeInterval(30)
        for job in jobs {
            while try daemon.request("GET", "/v1/jobs/\(job.id)").job().status != .running && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
        // A job is stored as running as it starts, before its sandbox is launched and counted: wait for both
        // sandboxes (CI once saw the stop count one, on a slow VM).
        while try Self.sample(daemon, "brig_running_sandboxes") < 2 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        let stop = try Self.runbook(daemon, ["emergency-stop", "--json"])
        #expect(stop.status == 0, "\(stop.stderr)")
        let report = try APIJSON.decoder().decode(AdminActionReport.self, from: Data(stop.stdout.utf8))
        #expect(report.killed == 2)
        for job in jobs {
            #expect(try daemon.finished(job.id, within: 5).status == .cancelled)
        }
        #expect(try Self.runbook(daemon, ["health-check"]).status == 2)
        #expect(try daemon.submit(#"{"language":"bash","source":"true"}"#).status == 503)
        #expect(try Self.runbook(daemon, ["resume"]).status == 0)
        #expect(try Self.runbook(daemon, ["health-check"]).status == 0)
    }

    @Test func reapAndSelftestAreDone() throws {
        let daemon = try Daemon()
        defer { daemon.stop() }
        let reap = try Self.runbook(daemon, ["reap"])
        #expect(reap.status == 0, "\(reap.stderr)")
        #expect(reap.stdout.hasPrefix("reap: "))
        let selftest = try Self.runbook(daemon, ["selftest"])
        #expect(selftest.status == 0, "\(selftest.stdout)\(selftest.stderr)")
        #expect(selftest.stdout.hasPrefix("selftest: all "))
        #expect(selftest.stdout.contains("  bash"))
    }

    @Test func aStoppedDaemonIsUnreachable() throws {
        let daemon = try Daemon()
        let socket = daemon.socket
        daemon.stop()
        let check = try Self.runbook(socket: socket, ["health-check"])
        #expect(check.status == 3)
        #expect(check.stdout.hasPrefix("brig is UNREACHABLE: "))
        #expect(try Self.runbook(socket: socket, ["drain"]).status == 3)
    }

    /// The value of one series in a scrape, 0 when it is not there yet.
    static func sample(_ daemon: Daemon, _ series: String) throws -> Double {
        let response = try daemon.request("GET", "/metrics")
        #expect(response.status == 200)
        let line = response.text.split(separator: "\n").first { $0.hasPrefix(series + " ") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
    }

    @Test func metricsMoveAsJobsRun() throws {
        let daemon = try Daemon()
        defer { daemon.stop() }
        let ok = #"brig_jobs_total{language="bash",profile="default",status="ok"}"#
        let timeouts = "brig_timeouts_total"
        let before = try Self.sample(daemon, ok)
        let timeoutsBefore = try Self.sample(daemon, timeouts)
        for _ in 0..<2 {
            #expect(try daemon.submit(#"{"language":"bash","source":"echo hi","wait":true}"#).job().status == .ok)
        }
        let slow = try daemon.submit(#"{"language":"bash","source":"sleep 10","limits":{"wall_time":"200ms"},"wait":true}"#).job()
        #expect(slow.status == .timeout)
        #expect(try Self.sample(daemon, ok) == before + 2)
        #expect(try Self.sample(daemon, timeouts) == timeoutsBefore + 1)
        let text = try daemon.request("GET", "/metrics").text
        for family in ["brig_queue_wait_seconds", "brig_setup_seconds", "brig_run_seconds"] {
            #expect(text.contains("# TYPE \(family) histogram\n"), "\(family)")
        }
    }

    @Test func aDrainRunsItsHookAndEveryActionIsAudited() throws {
        let directory = "/tmp/brig-hooks-\(getpid())-\(Self.counter.next())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let hook = directory + "/on-drain.sh"
        try "#!/bin/sh\ncat > \(directory)/event.json\n".write(toFile: hook, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook)
        let config = directory + "/brig.toml"
        try "[hooks]\ndrain = [\"\(hook)\"]\ntimeout = \"5s\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try Daemon(arguments: ["--config", config])
        defer { daemon.stop() }

        #expect(try Self.runbook(daemon, ["drain"]).status == 0)
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: directory + "/event.json") && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        Thread.sleep(forTimeInterval: 0.2)
        let event = try APIJSON.decoder().decode(
            EngineEvent.self, from: try #require(FileManager.default.contents(atPath: directory + "/event.json")))
        #expect(event.kind == .drain)
        #expect(try Self.runbook(daemon, ["resume"]).status == 0)

        let lines = try String(contentsOfFile: daemon.stateDirectory + "/audit.log", encoding: .utf8).split(separator: "\n")
        let entries = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let admin = entries.filter { $0["type"] as? String == "admin" }
        #expect(admin.map { $0["action"] as? String } == ["drain", "resume"])
        #expect(admin.allSatisfy { $0["uid"] as? Int == 0 && $0["result"] as? String == "ok" })
        let hooks = entries.filter { $0["type"] as? String == "hook" }
        #expect(hooks.first?["action"] as? String == hook)
        #expect(hooks.first?["result"] as? String == "exited")
    }
}
