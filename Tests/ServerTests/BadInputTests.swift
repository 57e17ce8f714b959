import API
import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Testing

@Suite("Server bad input")
struct BadInputTests {
    struct BodyCase: Sendable, CustomTestStringConvertible {
        var body: String
        var code: String
        var field: String?
        var testDescription: String { "\(code) \(field ?? "-"): \(body.prefix(40))" }
    }

    static let bodyCases: [BodyCase] = [
        BodyCase(body: "", code: "invalid_json", field: nil),
        BodyCase(body: "{\"language\": ", code: "invalid_json", field: nil),
        BodyCase(body: "not json", code: "invalid_json", field: nil),
        BodyCase(body: "[1, 2]", code: "invalid_request", field: nil),
        BodyCase(body: "{}", code: "invalid_request", field: "language"),
        BodyCase(body: #"{"language": 3}"#, code: "invalid_request", field: "language"),
        BodyCase(body: #"{"language": null}"#, code: "invalid_request", field: "language"),
        BodyCase(body: #"{"language": "c", "wait": "yes"}"#, code: "invalid_request", field: "wait"),
        BodyCase(body: #"{"language": "c", "args": ["a", 2]}"#, code: "invalid_request", field: "args[1]"),
        BodyCase(
            body: #"{"language": "c", "files": [{"path": "a", "content": ""}, {"path": "b", "content": ""}, {"path": 7, "content": ""}]}"#,
            code: "invalid_request", field: "files[2].path"),
        BodyCase(body: #"{"language": "c", "files": [{"path": "a"}]}"#, code: "invalid_request", field: "files[0].content"),
        BodyCase(body: #"{"language": "c", "limits": {"memory": 256}}"#, code: "invalid_request", field: "limits.memory"),
        BodyCase(body: #"{"language": "c", "limits": {"pids": 1.5}}"#, code: "invalid_request", field: "limits.pids"),
        BodyCase(body: #"{"language": "c", "limits": {"pids": 1e40}}"#, code: "invalid_request", field: "limits.pids"),
        BodyCase(body: #"{"language": "c", "limits": "big"}"#, code: "invalid_request", field: "limits"),
        BodyCase(body: #"{"langauge": "c"}"#, code: "unknown_field", field: "langauge"),
        BodyCase(body: #"{"language": "c", "limits": {"memroy": "1GiB"}}"#, code: "unknown_field", field: "limits.memroy"),
        BodyCase(
            body: #"{"language": "c", "files": [{"path": "a", "content": "", "encdoing": "utf8"}]}"#,
            code: "unknown_field", field: "files[0].encdoing"),
    ]

    @Test(arguments: bodyCases)
    func badBodyAnswers400NamingTheField(_ testCase: BodyCase) async throws {
        let service = FakeJobService()
        let response = try await RouterHarness.test(service) { client in
            try await client.execute(uri: "/v1/jobs", method: .post, body: RouterHarness.body(testCase.body))
        }
        #expect(response.status == .badRequest)
        #expect(response.headers[.contentType] == "application/json")
        let error = try RouterHarness.error(response)
        #expect(error.code == testCase.code)
        #expect(error.field == testCase.field)
        #expect(!error.message.isEmpty)
        #expect(await service.calls.isEmpty, "a bad request never reaches the service")
    }

    @Test func unknownKeyMessageListsTheKnownKeys() async throws {
        let response = try await RouterHarness.test(FakeJobService()) { client in
            try await client.execute(uri: "/v1/jobs", method: .post, body: RouterHarness.body(#"{"langauge": "c"}"#))
        }
        let message = try RouterHarness.error(response).message
        #expect(message.contains("\"langauge\""))
        #expect(message.contains("language"))
    }

    @Test func bodyOverTheLimitIs413() async throws {
        let configuration = RouterHarness.configuration(maxRequestBodyBytes: 100)
        let source = String(repeating: "x", count: 200)
        let service = FakeJobService()
        let response = try await RouterHarness.test(service, configuration: configuration) { client in
            try await client.execute(
                uri: "/v1/jobs", method: .post,
                body: RouterHarness.body(#"{"language": "python", "source": "\#(source)"}"#))
        }
        #expect(response.status == .contentTooLarge)
        #expect(try RouterHarness.error(response).code == "body_too_large")
        #expect(await service.calls.isEmpty)
    }

    @Test func bodyJustUnderTheLimitIsAccepted() async throws {
        let body = #"{"language": "python", "source": "x"}"#
        let configuration = RouterHarness.configuration(maxRequestBodyBytes: body.utf8.count)
        let response = try await RouterHarness.test(FakeJobService(), configuration: configuration) { client in
            try await client.execute(uri: "/v1/jobs", method: .post, body: RouterHarness.body(body))
        }
        #expect(response.status == .accepted)
    }

    @Test(arguments: [
        ("/v1/jobs?status=done", "status"),
        ("/v1/jobs?limit=0", "limit"),
        ("/v1/jobs?limit=501", "limit"),
        ("/v1/jobs?limit=ten", "limit"),
        ("/v1/jobs?limit=-3", "limit"),
        ("/v1/jobs?stauts=ok", "stauts"),
        ("/v1/jobs?limit=5&limit=6", "limit"),
    ])
    func badQueryAnswers400NamingTheParameter(_ uri: String, _ field: String) async throws {
        let service = FakeJobService()
        let response = try await RouterHarness.test(service) { client in
            try await client.execute(uri: uri, method: .get)
        }
        #expect(response.status == .badRequest)
        let error = try RouterHarness.error(response)
        #expect(error.code == "invalid_request")
        #expect(error.field == field)
        #expect(await service.calls.isEmpty)
    }

    @Test func unknownRouteIs404() async throws {
        let response = try await RouterHarness.test(FakeJobService()) { client in
            try await client.execute(uri: "/v2/nothing", method: .get)
        }
        #expect(response.status == .notFound)
        let error = try RouterHarness.error(response)
        #expect(error.code == "not_found")
        #expect(error.message.contains("/v2/nothing"))
    }

    @Test(arguments: [
        ("/v1/jobs", HTTPRequest.Method.put, "GET, POST, HEAD"),
        ("/v1/jobs/abc", .post, "GET, DELETE, HEAD"),
        ("/v1/languages", .delete, "GET, HEAD"),
        ("/v1/admin/reload", .get, "POST"),
        ("/healthz", .patch, "GET, HEAD"),
    ])
    func wrongMethodIs405WithAllow(_ uri: String, _ method: HTTPRequest.Method, _ allow: String) async throws {
        let service = FakeJobService()
        let response = try await RouterHarness.test(service) { client in
            try await client.execute(uri: uri, method: method)
        }
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers[.allow] == allow)
        #expect(try RouterHarness.error(response).code == "method_not_allowed")
        #expect(await service.calls.isEmpty)
    }

    @Test func serviceErrorsPassThroughWithTheirStatusAndRetryAfter() async throws {
        let full = APIError("queue_full", "the queue is full", httpStatus: 429, retryAfter: 3)
        let response = try await RouterHarness.test(FakeJobService(failure: full)) { client in
            try await client.execute(
                uri: "/v1/jobs", method: .post, body: RouterHarness.body(#"{"language": "python", "source": "1"}"#))
        }
        #expect(response.status == .tooManyRequests)
        #expect(response.headers[.retryAfter] == "3")
        let error = try RouterHarness.error(response)
        #expect(error.code == "queue_full")
        #expect(error.message == "the queue is full")
    }

    @Test(arguments: [
        ("/v1/jobs/nope", HTTPRequest.Method.get, APIError.notFound("job nope")),
        ("/v1/jobs/nope", .delete, APIError.notFound("job nope")),
        ("/v1/jobs/nope/events", .get, APIError.notFound("job nope")),
        ("/v1/jobs", .get, APIError("draining", "the daemon is draining", httpStatus: 503, retryAfter: 10)),
    ])
    func serviceErrorsOnEachRoute(_ uri: String, _ method: HTTPRequest.Method, _ failure: APIError) async throws {
        let response = try await RouterHarness.test(FakeJobService(failure: failure)) { client in
            try await client.execute(uri: uri, method: method)
        }
        #expect(response.status.code == failure.httpStatus)
        #expect(response.headers[.retryAfter] == failure.retryAfter.map(String.init))
        #expect(try RouterHarness.error(response).code == failure.code)
    }

    @Test func errorBodyAlwaysHasTheFieldKey() async throws {
        let response = try await RouterHarness.test(FakeJobService()) { client in
            try await client.execute(uri: "/v1/jobs", method: .post, body: RouterHarness.body("nope"))
        }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
        let error = try #require(object["error"] as? [String: Any])
        #expect(Set(error.keys) == ["code", "message", "field"])
    }
}
