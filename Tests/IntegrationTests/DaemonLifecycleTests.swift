import API
import Engine
import Foundation
import Sandbox
import TestSupport
import Testing

/// What happens to jobs across crashes, reloads and bad requests.
@Suite(.serialized, .ownThread) struct DaemonLifecycleTests {
    @Test func aCrashLeavesTheRunningJobLostAndRunsTheQueuedOnes() throws {
        let daemon = try Daemon(slots: 1)
        let running = try daemon.submit(#"{"language":"bash","source":"sleep 30"}"#).job()
        let queued = try (0..<3).map { index in
            try daemon.submit(#"{"language":"bash","source":"echo queued-\#(index)"}"#).job()
        }
        let crashedPID = try #require(daemon.process?.processIdentifier)
        let leftover = "/run/brig-itest/work/run-\(crashedPID)-"
        // Running, and its workspace mounted (the status turns running a few store writes before the mount).
        let deadline = Date().addingTimeInterval(30)
        while try daemon.request("GET", "/v1/jobs/\(running.id)").job().status != .running
            || !Self.mountPoints().contains(where: { $0.hasPrefix(leftover) }), Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        daemon.crash()
        #expect(Self.mountPoints().contains { $0.hasPrefix(leftover) }, "the crash should have left the running job's workspace")
        try daemon.start(slots: 1)
        // The new daemon reaped the dead one's workspace mount and cgroups.
        #expect(!Self.mountPoints().contains { $0.hasPrefix(leftover) })
        #expect(!Self.cgroupDirectories().contains { $0.contains("/run-\(crashedPID)-") })
        let lost = try daemon.request("GET", "/v1/jobs/\(running.id)").job()
        #expect(lost.status == .lost)
        #expect(lost.message?.contains("stopped") == true)
        for (index, job) in queued.enumerated() {
            let finished = try daemon.finished(job.id)
            #expect(finished.status == .ok)
            #expect(finished.result?.stdout.text == "queued-\(index)\n")
        }
        let page = try daemon.request("GET", "/v1/jobs?limit=10").json()
        #expect((page["jobs"] as? [[String: Any]])?.count == 4)
        daemon.stop()
    }

    static func mountPoints() -> [String] {
        let table = (FileHandle(forReadingAtPath: "/proc/self/mountinfo")?.readDataToEndOfFile()).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return table.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            return fields.count > 4 ? String(fields[4]) : nil
        }
    }

    static func cgroupDirectories() -> [String] {
        let hierarchies = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? []
        return hierarchies.flatMap { hierarchy in
            ((try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup/\(hierarchy)/brig")) ?? []).map { "/sys/fs/cgroup/\(hierarchy)/brig/\($0)" }
        }
    }

    @Test func sigtermDrainsLetsShortJobsFinishAndCancelsTheRest() throws {
        let daemon = try Daemon(slots: 2)
        let short = try daemon.submit(#"{"language":"bash","source":"sleep 0.5; echo done"}"#).job()
        let long = try daemon.submit(#"{"language":"bash","source":"sleep 100"}"#).job()
        let deadline = Date().addingTimeInterval(30)
        while try daemon.request("GET", "/v1/jobs/\(long.id)").job().status != .running && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        let pid = try #require(daemon.process?.processIdentifier)
        kill(pid, SIGTERM)
        Thread.sleep(forTimeInterval: 0.2)
        // Draining: no new work (the grace is 2 s in these tests).
        let refused = try daemon.submit(#"{"language":"bash","source":"true"}"#)
        #expect(refused.status == 503, "\(refused.text)")
        daemon.process?.waitUntilExit()
        // The store tells what happened: restart and look.
        try daemon.start()
        let finished = try daemon.request("GET", "/v1/jobs/\(short.id)").job()
        #expect(finished.status == .ok)
        #expect(finished.result?.stdout.text == "done\n")
        #expect(try daemon.request("GET", "/v1/jobs/\(long.id)").job().status == .cancelled)
        daemon.stop()
    }

    /// brig installed alone serves, its OpenAPI document included: copies of brig and the brig-daemon it hands
    /// `serve` to run with the build folder hidden (an empty tmpfs over it, in a mount namespace of its own), as
    /// on a host that never built them.
    @Test func aBrigCopiedAloneServesItsOpenAPIDocument() throws {
        let folder = "/tmp/brig-installed-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let buildFolder = Daemon.executable.deletingLastPathComponent().path
        for executable in ["brig", "brig-daemon"] {
            try FileManager.default.copyItem(atPath: buildFolder + "/" + executable, toPath: folder + "/" + executable)
        }
        let installed = """
            #!/bin/sh
            exec unshare --mount --propagation private /bin/sh -c \
              'mount -t tmpfs brig-test-hidden "$0" && exec "$@"' '\(buildFolder)' '\(folder)/brig' "$@"
            """
        try installed.write(toFile: folder + "/installed-brig", atomically: true, encoding: .utf8)
        chmod(folder + "/installed-brig", 0o755)
        let daemon = try Daemon(executable: URL(fileURLWithPath: folder + "/installed-brig"))
        defer { daemon.stop() }
        let document = try daemon.request("GET", "/v1/openapi.yaml")
        #expect(document.status == 200, "\(document.text)")
        #expect(document.text.hasPrefix("openapi: 3.1.0\n"))
        let job = try daemon.request("POST", "/v1/jobs", body: #"{"language": "bash", "source": "echo installed", "wait": true}"#).job()
        #expect(job.status == .ok)
        #expect(job.result?.stdout.text == "installed\n")
    }

    @Test func sighupReloadsTheCatalog() throws {
        let daemon = try Daemon()
        #expect(!(try daemon.request("GET", "/v1/profiles").text.contains("\"extra\"")))
        try FileManager.default.copyItem(atPath: daemon.catalogDirectory + "/profiles/tiny.toml", toPath: daemon.catalogDirectory + "/profiles/extra.toml")
        kill(try #require(daemon.process?.processIdentifier), SIGHUP)
        let deadline = Date().addingTimeInterval(10)
        var profiles = ""
        while Date() < deadline {
            profiles = try daemon.request("GET", "/v1/profiles").text
            if profiles.contains("\"extra\"") { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(profiles.contains("\"extra\""))
        let job = try daemon.submit(#"{"language":"bash","source":"echo via extra","profile":"extra","wait":true}"#).job()
        #expect(job.status == .ok)
        #expect(job.profile == "extra")
        daemon.stop()
    }

    @Test func aBrokenProfileOnReloadKeepsTheOldOneServing() throws {
        let daemon = try Daemon()
        try "[limits]\nmemory = \"lots\"\n".write(toFile: daemon.catalogDirectory + "/profiles/default.toml", atomically: true, encoding: .utf8)
        let report = try daemon.request("POST", "/v1/admin/reload").json()
        let errors = report["errors"] as? [String] ?? []
        #expect(errors.contains { $0.contains("default.toml") && $0.contains("memory") }, "\(report)")
        let job = try daemon.submit(#"{"language":"bash","source":"echo still","wait":true}"#).job()
        #expect(job.status == .ok)
        #expect(job.profile == "default")
        daemon.stop()
    }

    struct BadRequest: Sendable, CustomTestStringConvertible {
        let label: String
        let method: String
        let path: String
        let body: String?
        let status: Int
        let code: String
        var testDescription: String { label }
    }

    static let badRequests = [
        BadRequest(label: "malformed JSON", method: "POST", path: "/v1/jobs", body: "{\"language\": ", status: 400, code: "invalid_json"),
        BadRequest(label: "wrong type", method: "POST", path: "/v1/jobs", body: #"{"language": 7, "source": "x"}"#, status: 400, code: "invalid_request"),
        BadRequest(label: "unknown language", method: "POST", path: "/v1/jobs", body: #"{"language": "cobol", "source": "x"}"#, status: 400, code: "unknown_language"),
        BadRequest(label: "unknown profile", method: "POST", path: "/v1/jobs", body: #"{"language": "bash", "source": "x", "profile": "huge"}"#, status: 400, code: "unknown_profile"),
        BadRequest(label: "limits above maxima", method: "POST", path: "/v1/jobs", body: #"{"language": "bash", "source": "x", "limits": {"memory": "64GiB"}}"#, status: 400, code: "invalid_limits"),
        BadRequest(label: "empty source", method: "POST", path: "/v1/jobs", body: #"{"language": "bash", "source": ""}"#, status: 400, code: "empty_source"),
        BadRequest(label: "dot-dot path", method: "POST", path: "/v1/jobs", body: #"{"language": "bash", "files": [{"path": "../x", "content": "x"}]}"#, status: 400, code: "invalid_path"),
        BadRequest(label: "absolute path", method: "POST", path: "/v1/jobs", body: #"{"language": "bash", "files": [{"path": "/etc/x", "content": "x"}]}"#, status: 400, code: "invalid_path"),
        BadRequest(label: "NUL in path", method: "POST", path: "/v1/jobs", body: #"{"language": "bash", "files": [{"path": "a\u0000b", "content": "x"}]}"#, status: 400, code: "invalid_path"),
        BadRequest(label: "unknown job", method: "GET", path: "/v1/jobs/j_nope", body: nil, status: 404, code: "not_found"),
        BadRequest(label: "body too large", method: "POST", path: "/v1/jobs", body: #"{"language": "bash", "source": "\#(String(repeating: "x", count: 5 << 20))"}"#, status: 413, code: "body_too_large"),
    ]

    @Test(arguments: badRequests)
    func badInputGetsItsStatusAndTheDaemonKeepsServing(_ bad: BadRequest) throws {
        let daemon = try SharedDaemon.instance()
        let response = try daemon.request(bad.method, bad.path, body: bad.body)
        #expect(response.status == bad.status, "\(response.text)")
        let error = try #require(try response.json()["error"] as? [String: Any])
        #expect(error["code"] as? String == bad.code, "\(response.text)")
        #expect((error["message"] as? String)?.isEmpty == false)
        #expect(try daemon.request("GET", "/healthz").status == 200)
    }
}
