import API
import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Testing

@Suite("Server admin routes")
struct AdminRouteTests {
    @Test func readyzAnswers200WithTheReadinessWhenReady() async throws {
        let response = try await RouterHarness.test(admin: FakeAdminService()) { client in
            try await client.execute(uri: "/readyz", method: .get)
        }
        #expect(response.status == .ok)
        #expect(try RouterHarness.decode(Readiness.self, response) == Readiness(ready: true, reasons: []))
    }

    @Test func readyzAnswers503WithTheReasonsWhenNotReady() async throws {
        let reasons = ["draining", "disk: 80 MiB free in /var/lib/brig, below 512 MiB"]
        let response = try await RouterHarness.test(admin: FakeAdminService(ready: false, reasons: reasons)) { client in
            try await client.execute(uri: "/readyz", method: .get)
        }
        #expect(response.status == .serviceUnavailable)
        #expect(response.headers[.contentType] == "application/json")
        #expect(try RouterHarness.decode(Readiness.self, response) == Readiness(ready: false, reasons: reasons))
    }

    @Test func withoutAnAdminServiceTheProbesSay503AndHealthzStillAnswers() async throws {
        try await RouterHarness.test(admin: nil) { client in
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .serviceUnavailable)
            #expect(try RouterHarness.decode(Readiness.self, ready).reasons == ["the engine does not report readiness"])
            let health = try await client.execute(uri: "/v1/admin/health", method: .get)
            #expect(health.status == .serviceUnavailable)
            #expect(try RouterHarness.error(health).code == "unavailable")
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }

    @Test func healthIsTheReportInSnakeCase() async throws {
        let admin = FakeAdminService(status: "degraded")
        let response = try await RouterHarness.test(admin: admin) { client in
            try await client.execute(uri: "/v1/admin/health", method: .get)
        }
        #expect(response.status == .ok)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
        #expect(object["status"] as? String == "degraded")
        #expect(object["emergency_stopped"] as? Bool == false)
        #expect(object["cgroup_version"] as? String == "v1")
        #expect((object["cgroup_controllers"] as? [String: String])?["memory"] == "/sys/fs/cgroup/memory")
        #expect((object["queue"] as? [String: Any])?["oldest_age_seconds"] as? Double == 1.5)
        let breaker = try #require((object["breakers"] as? [[String: Any]])?.last)
        #expect(breaker["consecutive_failures"] as? Int == 5)
        #expect(breaker["changed_at"] as? String == "2026-01-02T03:04:05.678Z")
        #expect((object["self_tests"] as? [[String: Any]])?.first?["duration_ms"] as? Int == 120)
        #expect((object["disk"] as? [String: Any])?["threshold_bytes"] as? Int == 512 << 20)
        #expect((object["recent_errors"] as? [String: Any])?["internal_errors"] as? Int == 1)
        #expect(try RouterHarness.decode(HealthReport.self, response) == FakeAdminService.report(
            status: "degraded", readiness: Readiness(ready: true, reasons: [])))
    }

    static let actions: [(path: String, method: String)] = [
        ("/v1/admin/drain", "drain"), ("/v1/admin/resume", "resume"), ("/v1/admin/emergency-stop", "emergency_stop"),
        ("/v1/admin/reap", "reap"), ("/v1/admin/selftest", "selftest"),
    ]

    @Test(arguments: actions)
    func anOperatorsActionReachesTheServiceWithThePeer(_ action: (path: String, method: String)) async throws {
        let admin = FakeAdminService()
        let response = try await RouterHarness.test(admin: admin, configuration: RouterHarness.operatorConfiguration) { client in
            try await client.execute(uri: action.path, method: .post)
        }
        #expect(response.status == .ok)
        #expect(await admin.calls == [.init(method: action.method, peer: RouterHarness.admin)])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
        switch action.method {
        case "reap": #expect((object["removed"] as? [String])?.count == 2)
        case "selftest": #expect((object["results"] as? [[String: Any]])?.count == 2)
        default: #expect(object["action"] as? String == action.method)
        }
    }

    @Test(arguments: actions)
    func aNonOperatorGets403AndTheServiceIsNotAsked(_ action: (path: String, method: String)) async throws {
        let admin = FakeAdminService()
        let response = try await RouterHarness.test(admin: admin) { client in
            try await client.execute(uri: action.path, method: .post)
        }
        #expect(response.status == .forbidden)
        let error = try RouterHarness.error(response)
        #expect(error.code == "forbidden")
        #expect(error.message.contains("only operators"))
        #expect(await admin.calls.isEmpty)
    }

    @Test(arguments: ["/v1/admin/drain", "/v1/admin/resume", "/v1/admin/emergency-stop", "/v1/admin/reap", "/v1/admin/selftest", "/v1/admin/reload"])
    func actionsAnswerOnlyPost(_ path: String) async throws {
        let response = try await RouterHarness.test(admin: FakeAdminService()) { client in
            try await client.execute(uri: path, method: .get)
        }
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers[.allow] == "POST")
    }

    @Test(arguments: ["/readyz", "/metrics", "/v1/admin/health"])
    func probesAnswerOnlyGetAndHead(_ path: String) async throws {
        let response = try await RouterHarness.test(admin: FakeAdminService()) { client in
            try await client.execute(uri: path, method: .post)
        }
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers[.allow] == "GET, HEAD")
    }

    @Test func theServicesRefusalKeepsItsStatus() async throws {
        let admin = FakeAdminService(failure: APIError("unavailable", "the store is not writable", httpStatus: 503))
        let response = try await RouterHarness.test(admin: admin, configuration: RouterHarness.operatorConfiguration) { client in
            try await client.execute(uri: "/v1/admin/drain", method: .post)
        }
        #expect(response.status == .serviceUnavailable)
        #expect(try RouterHarness.error(response).message == "the store is not writable")
    }
}
