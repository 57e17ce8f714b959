import API
import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import TestSupport
import Testing

@Suite("Server OpenAPI document")
struct OpenAPITests {
    static let routes = [
        "/v1/jobs", "/v1/jobs/{id}", "/v1/jobs/{id}/events", "/v1/languages", "/v1/profiles", "/v1/admin/reload",
        "/v1/openapi.yaml", "/healthz",
        "/v1/sessions", "/v1/sessions/{id}", "/v1/sessions/{id}/exec", "/v1/sessions/{id}/steps",
        "/v1/sessions/{id}/steps/{step}", "/v1/sessions/{id}/steps/{step}/output", "/v1/sessions/{id}/steps/{step}/events",
        "/v1/sessions/{id}/steps/{step}/signal", "/v1/sessions/{id}/steps/{step}/stdin", "/v1/sessions/{id}/files",
        "/v1/sessions/{id}/files/{path}", "/v1/sessions/{id}/archive",
        "/readyz", "/metrics", "/v1/admin/health", "/v1/admin/drain", "/v1/admin/resume",
        "/v1/admin/emergency-stop", "/v1/admin/reap", "/v1/admin/selftest",
    ]

    static func served() async throws -> (status: HTTPResponse.Status, contentType: String?, text: String) {
        try await RouterHarness.test(FakeJobService()) { client in
            let response = try await client.execute(uri: "/v1/openapi.yaml", method: .get)
            return (response.status, response.headers[.contentType], String(buffer: response.body))
        }
    }

    @Test func theCommittedDocumentIsServedWithEveryPath() async throws {
        let (status, contentType, text) = try await Self.served()
        #expect(status == .ok)
        #expect(contentType == "application/yaml")
        #expect(text.hasPrefix("openapi: 3.1.0\n"))
        #expect(text == OpenAPIDocument.text)
        for route in Self.routes {
            #expect(text.contains("\n  \(route):\n"), "path \(route) is documented")
        }
    }

    static let pythonHasYAML = PythonProbe.canImport("yaml")

    /// Parses the served document with PyYAML (installed with schemathesis) and compares its schemas' property
    /// names with the keys the contract types encode.
    @Test(.enabled(if: pythonHasYAML, "python3 with PyYAML is not installed"))
    func theDocumentParsesAndItsSchemasMatchTheContractKeys() async throws {
        let (_, _, text) = try await Self.served()
        let script = """
            import json, sys, yaml
            document = yaml.safe_load(sys.stdin)
            schemas = document["components"]["schemas"]
            print(json.dumps({
                "paths": sorted(document["paths"]),
                "properties": {name: sorted(schema.get("properties", {})) for name, schema in schemas.items()},
            }))
            """
        let output = try await PythonProbe.run(script: script, input: text)
        struct Summary: Decodable {
            var paths: [String]
            var properties: [String: [String]]
        }
        let summary = try JSONDecoder().decode(Summary.self, from: Data(output.utf8))
        #expect(summary.paths == Self.routes.sorted())
        let full = try Self.fullyPopulatedKeys()
        for (schema, keys) in full {
            #expect(summary.properties[schema] == keys.sorted(), "schema \(schema)")
        }
    }

    /// The keys each contract type encodes when every optional is set.
    static func fullyPopulatedKeys() throws -> [String: [String]] {
        let request = JobRequest(
            language: "c", source: "s", files: [JobFile(path: "a", content: "b", encoding: "utf8")], stdin: "",
            args: [], profile: "p",
            limits: RequestedLimits(wallTime: "1s", cpuTime: "1s", memory: "1MiB", cpus: 1, pids: 1, output: "1KiB"),
            wait: true, kind: "agent", image: "host",
            steps: [AgentStepRequest(cmd: .argv(["true"]), stdin: "", env: ["A": "b"], cwd: "/work", timeout: "1s")],
            stopOnFailure: true)
        var view = FakeJobService.view(id: "j", status: .ok)
        view.message = "m"
        view.compile = view.result
        view.result?.failure = .init(stage: "execve", errno: 2, message: "m")
        let agentStep = AgentStepView(index: 1, cmd: ["true"], status: "ok", result: view.result)
        view.steps = [agentStep]
        let date = Date(timeIntervalSince1970: 0)
        let step = StepView(
            id: "st", session: "s", index: 1, cmd: ["true"], background: false, status: .ok, createdAt: date,
            startedAt: date, finishedAt: date, message: "m", result: view.result)
        let session = SessionView(
            id: "s", state: .ended, image: "host", profile: "default", owner: 0, createdAt: date, lastUsedAt: date,
            expiresAt: date, idleExpiresAt: date, endedAt: date, endReason: "deleted",
            usage: SessionUsage(steps: 1, cpuTimeMs: 1, workspaceBytes: 1), caps: SessionCaps(maxSteps: 1, cpuTime: "1s", workspace: "1MiB"),
            running: [step])
        let sessionRequest = SessionRequest(
            image: "host", profile: "default", ttl: "1h", idleTTL: "1m", files: [], limits: RequestedLimits())
        let exec = ExecRequest(
            cmd: .shell("true"), stdin: "", env: [:], cwd: "/work", timeout: "1s", limits: RequestedLimits(), background: false,
            wait: true)
        let entry = FileEntry(path: "a", type: "symlink", size: 1, mode: "0644", modifiedAt: date, target: "b")
        let language = LanguageView(name: "c", image: "host", version: "1", extensions: [], compiled: true)
        let profile = ProfileView(name: "d", description: "d", limits: [:], maxima: [:], concurrency: 1)
        let page = JobPage(jobs: [], next: "n")
        let report = ReloadReport(profiles: [], languages: [], errors: [])
        var health = FakeAdminService.report(status: "healthy", readiness: Readiness(ready: true, reasons: []))
        health.breakers = [BreakerView(language: "c", state: "open", consecutiveFailures: 1, reason: "r", changedAt: FakeAdminService.at)]
        health.selfTests = [SelfTestResult(language: "c", passed: false, at: FakeAdminService.at, durationMilliseconds: 1, message: "m")]

        func keys(_ value: some Encodable) throws -> [String] {
            let object = try JSONSerialization.jsonObject(with: try APIJSON.encoder().encode(value))
            return try #require(object as? [String: Any]).keys.sorted()
        }
        func object(_ value: some Encodable) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: try APIJSON.encoder().encode(value)) as? [String: Any])
        }
        let result = try #require(try object(view)["result"] as? [String: Any])
        return [
            "JobRequest": try keys(request),
            "JobFile": try keys(request.files?[0]),
            "RequestedLimits": try keys(request.limits),
            "JobView": try keys(view),
            "SandboxResult": result.keys.sorted(),
            "LaunchFailure": try #require(result["error"] as? [String: Any]).keys.sorted(),
            "JobPage": try keys(page),
            "LanguageView": try keys(language),
            "ProfileView": try keys(profile),
            "ReloadReport": try keys(report),
            "ErrorBody": try keys(APIErrorBody(error: APIError("c", "m"))),
            "AgentStepRequest": try keys(request.steps?[0]),
            "AgentStepView": try keys(agentStep),
            "SessionRequest": try keys(sessionRequest),
            "SessionView": try keys(session),
            "SessionPage": try keys(SessionPage(sessions: [], next: "n")),
            "ExecRequest": try keys(exec),
            "StepView": try keys(step),
            "StepList": try keys(StepList(steps: [])),
            "StepOutput": try keys(StepOutput(stdout: "", stderr: "", stdoutBytes: 0, stderrBytes: 0, stdoutTruncated: false, stderrTruncated: false, running: false)),
            "StepInput": try keys(StepInput(data: "", encoding: "utf8", close: true)),
            "FileEntry": try keys(entry),
            "FileListing": try keys(FileListing(path: "", entries: [])),
            "ArchiveReport": try keys(ArchiveReport(files: 0, bytes: 0)),
            "Readiness": try keys(health.readiness),
            "HealthReport": try keys(health),
            "BreakerView": try keys(health.breakers[0]),
            "SelfTestResult": try keys(health.selfTests[0]),
            "SlotCounts": try keys(health.slots),
            "QueueHealth": try keys(health.queue),
            "StoreHealth": try keys(health.store),
            "DiskHealth": try keys(health.disk),
            "ErrorRate": try keys(health.recentErrors),
            "AdminActionReport": try keys(AdminActionReport(action: "a", message: "m", killed: 1)),
            "ReapReport": try keys(ReapReport(removed: [])),
            "SelfTestReport": try keys(SelfTestReport(results: [])),
        ]
    }
}
