import API
import Engine
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
import TestSupport
#endif

/// Self-healing of a real `brig serve`, by fault injection through what a user and an operator can do: crash
/// it, break a language's manifest, reload, starve its state disk.
@Suite(.serialized, .ownThread) struct HealthDaemonTests {
    /// `/readyz` once the surface routes are in; until then (404) readiness is shown by a job running.
    static func expectReady(_ daemon: Daemon) throws {
        let ready = try daemon.request("GET", "/readyz")
        if ready.status != 404 { #expect(ready.status == 200, "\(ready.text)") }
        let job = try daemon.submit(#"{"language":"bash","source":"echo ready"}"#).job()
        #expect(try daemon.finished(job.id).result?.stdout.text == "ready\n")
    }

    /// Stops `daemon`, adds a folder under /var/tmp to its image's read_only paths with an executable file in it
    /// that is no program, and answers that file: a manifest naming it loads, and every run of it ends
    /// internal_error. The caller starts the daemon again and removes the folder (`folder(of:)`).
    static func installNotAProgram(_ daemon: Daemon) throws -> String {
        daemon.stop()
        let folder = "/var/tmp/brig-itest-fake-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let program = folder + "/not-a-program"
        try "this is not a program\n".write(toFile: program, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program)
        let imageFile = "\(daemon.catalogDirectory)/sandbox-images/host/image.toml"
        let text = try String(contentsOfFile: imageFile, encoding: .utf8)
        try text.replacingOccurrences(of: "read_only = [\n", with: "read_only = [\n    \"\(folder)\",\n")
            .write(toFile: imageFile, atomically: true, encoding: .utf8)
        return program
    }

    static func brokenManifest(_ daemon: Daemon, _ language: String, program: String) throws {
        let path = "\(daemon.catalogDirectory)/sandbox-images/host/languages/\(language).toml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let broken = text.replacing(#/run = \["[^"]+"/#, with: "run = [\"\(program)\"")
        #expect(broken != text)
        try broken.write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func restoreManifest(_ daemon: Daemon, _ language: String) throws {
        let path = "\(daemon.catalogDirectory)/sandbox-images/host/languages/\(language).toml"
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.copyItem(atPath: "\(Daemon.repositoryRoot)/sandbox-images/host/languages/\(language).toml", toPath: path)
    }

    static func waitForLog(_ daemon: Daemon, _ text: String, seconds: Double = 60) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if daemon.log().contains(text) { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    @Test func killNineMidRunThenRestartReapsReportsLosesTheJobAndIsReady() throws {
        // A runtime folder of its own: another suite's crash test must find its own leftovers, not have them
        // reaped by this daemon's start.
        let daemon = try Daemon(slots: 1, runtimeDirectory: "/run/brig-itest-health")
        let running = try daemon.submit(#"{"language":"bash","source":"sleep 30"}"#).job()
        let crashedPID = try #require(daemon.process?.processIdentifier)
        let deadline = Date().addingTimeInterval(30)
        while try daemon.request("GET", "/v1/jobs/\(running.id)").job().status != .running
            || !DaemonLifecycleTests.mountPoints().contains(where: { $0.hasPrefix("/run/brig-itest-health/work/run-\(crashedPID)-") }),
            Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        daemon.crash()
        try daemon.start(slots: 1)
        // The start-up reap is an engine event, and the log says what went.
        #expect(Self.waitForLog(daemon, "leftovers_reaped"), "\(daemon.log())")
        #expect(daemon.log().contains("workspace /run/brig-itest-health/work/run-\(crashedPID)-"), "\(daemon.log())")
        #expect(try daemon.request("GET", "/v1/jobs/\(running.id)").job().status == .lost)
        try Self.expectReady(daemon)
        daemon.stop()
    }

    @Test func aBrokenLanguageTripsItsBreakerOthersWorkAndAFixedReloadClosesIt() throws {
        let daemon = try Daemon(slots: 2)
        let program = try Self.installNotAProgram(daemon)
        defer { try? FileManager.default.removeItem(atPath: (program as NSString).deletingLastPathComponent) }
        try Self.brokenManifest(daemon, "python", program: program)
        try daemon.start(slots: 2)
        // Three internal errors (the default threshold) open python's breaker.
        for _ in 0..<3 {
            let job = try daemon.submit(#"{"language":"python","source":"print(1)"}"#).job()
            #expect(try daemon.finished(job.id).status == .internalError)
        }
        let refused = try daemon.submit(#"{"language":"python","source":"print(1)"}"#)
        #expect(refused.status == 503, "\(refused.text)")
        #expect(refused.text.contains("language_unavailable"), "\(refused.text)")
        #expect(refused.text.contains(program), "\(refused.text)")
        #expect(daemon.log().contains("breaker_opened"))
        try Self.expectReady(daemon)

        // Fixed and reloaded (SIGHUP): the reload's self-test passes and closes the breaker.
        try Self.restoreManifest(daemon, "python")
        kill(try #require(daemon.process?.processIdentifier), SIGHUP)
        #expect(Self.waitForLog(daemon, "breaker_closed"), "\(daemon.log())")
        let fixed = try daemon.submit(#"{"language":"python","source":"print(6*7)"}"#).job()
        #expect(try daemon.finished(fixed.id).result?.stdout.text == "42\n")
        daemon.stop()
    }

    @Test func aReloadedBrokenManifestRollsBackToTheLastGoodOne() throws {
        let daemon = try Daemon(slots: 2)
        let program = try Self.installNotAProgram(daemon)
        defer { try? FileManager.default.removeItem(atPath: (program as NSString).deletingLastPathComponent) }
        try daemon.start(slots: 2)
        try Self.brokenManifest(daemon, "bash", program: program)
        kill(try #require(daemon.process?.processIdentifier), SIGHUP)
        #expect(Self.waitForLog(daemon, "config_rolled_back"), "\(daemon.log())")
        let job = try daemon.submit(#"{"language":"bash","source":"echo still-good"}"#).job()
        #expect(try daemon.finished(job.id).result?.stdout.text == "still-good\n")
        daemon.stop()
    }

    @Test func aStateDirectoryOnATinyFilesystemRefusesJobsWithTheReason() throws {
        let daemon = try Daemon(slots: 1)
        let before = try daemon.submit(#"{"language":"bash","source":"echo x"}"#).job()
        _ = try daemon.finished(before.id)
        daemon.stop()
        // 8 MiB is below the default 256 MiB threshold: the disk guard holds from the start.
        try #require(mount("tmpfs", daemon.stateDirectory, "tmpfs", 0, "size=8m,mode=0700") == 0, "mount: \(String(cString: strerror(errno)))")
        defer { umount2(daemon.stateDirectory, Int32(MNT_DETACH)) }
        try daemon.start(slots: 1)
        defer { daemon.stop() }
        let refused = try daemon.submit(#"{"language":"bash","source":"true"}"#)
        #expect(refused.status == 503, "\(refused.text)")
        #expect(refused.text.contains("disk_low"), "\(refused.text)")
        #expect(refused.text.contains(daemon.stateDirectory), "\(refused.text)")
        let ready = try daemon.request("GET", "/readyz")
        if ready.status != 404 { #expect(ready.status == 503 && ready.text.contains("disk"), "\(ready.text)") }
    }
}
