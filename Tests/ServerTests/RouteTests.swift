import API
import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Sandbox
import Server
import Testing

@Suite("Server routes")
struct RouteTests {
    @Test func submitAnswers202WithTheQueuedJob() async throws {
        let service = FakeJobService()
        let response = try await RouterHarness.test(service) { client in
            try await client.execute(
                uri: "/v1/jobs", method: .post, headers: RouterHarness.jsonHeaders,
                body: RouterHarness.body(#"{"language": "python", "source": "print(1)", "limits": {"wall_time": "5s", "cpus": 1.5}}"#))
        }
        #expect(response.status == .accepted)
        #expect(response.headers[.contentType] == "application/json")
        let view = try RouterHarness.decode(JobView.self, response)
        #expect(view.id == "job-1")
        #expect(view.status == .queued)
        let submitted = await service.submitted
        #expect(submitted == [JobRequest(language: "python", source: "print(1)", limits: RequestedLimits(wallTime: "5s", cpus: 1.5))])
        #expect(await service.calls.map(\.method) == ["submit"])
        #expect(await service.calls.first?.peer == RouterHarness.user)
    }

    @Test func submitWithWaitAnswers200WithTheFinishedJob() async throws {
        let service = FakeJobService()
        let response = try await RouterHarness.test(service) { client in
            try await client.execute(
                uri: "/v1/jobs", method: .post,
                body: RouterHarness.body(#"{"language": "python", "source": "print(1)", "wait": true}"#))
        }
        #expect(response.status == .ok)
        let view = try RouterHarness.decode(JobView.self, response)
        #expect(view.status == .ok)
        #expect(view.result?.stdout.text == "hello\n")
        #expect(await service.calls.map(\.method) == ["submit", "wait"])
        #expect(await service.calls.last?.argument == "job-1")
    }

    @Test func jobViewIsSnakeCaseWithMillisecondDates() async throws {
        let response = try await RouterHarness.test(FakeJobService()) { client in
            try await client.execute(uri: "/v1/jobs/job-7", method: .get)
        }
        #expect(response.status == .ok)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
        #expect(object["id"] as? String == "job-7")
        #expect(object["created_at"] as? String == "2026-01-02T03:04:05.678Z")
        #expect(object["finished_at"] is String)
        let result = try #require(object["result"] as? [String: Any])
        #expect(result["exit_code"] as? Int == 0)
        #expect(result["stdout_encoding"] as? String == "utf8")
        #expect(object["message"] == nil, "absent optionals are left out")
    }

    @Test func getCancelAndListCallTheServiceWithThePeer() async throws {
        let service = FakeJobService()
        try await RouterHarness.test(service) { client in
            let cancelled = try await client.execute(uri: "/v1/jobs/job-3", method: .delete)
            #expect(cancelled.status == .ok)
            #expect(try RouterHarness.decode(JobView.self, cancelled).status == .cancelled)

            let page = try await client.execute(uri: "/v1/jobs?status=ok&language=python&limit=2&after=job-9", method: .get)
            #expect(page.status == .ok)
            let decoded = try RouterHarness.decode(JobPage.self, page)
            #expect(decoded.jobs.map(\.id) == ["job-2", "job-1"])
            #expect(decoded.next == "job-1")
        }
        #expect(await service.calls == [
            .init(method: "cancel", peer: RouterHarness.user, argument: "job-3"),
            .init(method: "list", peer: RouterHarness.user),
        ])
        #expect(await service.queries == [JobQuery(status: .ok, language: "python", limit: 2, after: "job-9")])
    }

    @Test func listWithoutParametersUsesTheDefaults() async throws {
        let service = FakeJobService()
        let response = try await RouterHarness.test(service) { client in
            try await client.execute(uri: "/v1/jobs", method: .get)
        }
        #expect(response.status == .ok)
        #expect(await service.queries == [JobQuery()])
    }

    @Test func languagesAndProfiles() async throws {
        try await RouterHarness.test(FakeJobService()) { client in
            let languages = try await client.execute(uri: "/v1/languages", method: .get)
            #expect(languages.status == .ok)
            let decodedLanguages = try RouterHarness.decode([LanguageView].self, languages)
            #expect(decodedLanguages.map(\.name) == ["python", "c"])
            #expect(decodedLanguages[1].version == nil)

            let profiles = try await client.execute(uri: "/v1/profiles", method: .get)
            #expect(profiles.status == .ok)
            #expect(try RouterHarness.decode([ProfileView].self, profiles).first?.limits["memory"] == "256MiB")
        }
    }

    @Test func reloadPassesThePeerAndTheServiceDecides() async throws {
        try await RouterHarness.test(FakeJobService()) { client in
            let refused = try await client.execute(uri: "/v1/admin/reload", method: .post)
            #expect(refused.status == .forbidden)
            #expect(try RouterHarness.error(refused).code == "forbidden")
        }
        let admin = RouterHarness.configuration(peer: RouterHarness.admin)
        try await RouterHarness.test(FakeJobService(), configuration: admin) { client in
            let response = try await client.execute(uri: "/v1/admin/reload", method: .post)
            #expect(response.status == .ok)
            #expect(try RouterHarness.decode(ReloadReport.self, response) == ReloadReport(profiles: ["default"], languages: ["python"], errors: []))
        }
    }

    @Test func healthz() async throws {
        let response = try await RouterHarness.test(FakeJobService()) { client in
            try await client.execute(uri: "/healthz", method: .get)
        }
        #expect(response.status == .ok)
        #expect(String(buffer: response.body) == "{\"status\":\"ok\"}\n")
    }

    @Test func headIsAnsweredWhereGetIs() async throws {
        let response = try await RouterHarness.test(FakeJobService()) { client in
            try await client.execute(uri: "/healthz", method: .head)
        }
        #expect(response.status == .ok)
    }
}
