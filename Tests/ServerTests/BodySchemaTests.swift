import API
import Engine
import Foundation
@testable import Server
import Testing

@Suite("Server request body schema")
struct BodySchemaTests {
    @Test func everyKeyJobRequestEncodesIsAllowed() throws {
        let request = JobRequest(
            language: "c", source: "s", files: [JobFile(path: "a", content: "b", encoding: "base64")], stdin: "i",
            args: ["x"], profile: "p",
            limits: RequestedLimits(wallTime: "1s", cpuTime: "1s", memory: "1MiB", cpus: 1, pids: 2, output: "1KiB"),
            wait: true)
        let data = try APIJSON.encoder().encode(request)
        let shape = try JSONDecoder().decode(JSONValue.self, from: data)
        #expect(BodySchema.jobRequest.firstViolation(in: shape) == nil)
        let decoded = try JSONBodyReader(maxBytes: 1 << 20).decode(JobRequest.self, from: data, schema: .jobRequest)
        #expect(decoded == request)
    }

    @Test(arguments: [
        (#"{"a": 1}"#, "a"),
        (#"{"language": "c", "files": [{"path": "a", "content": ""}, {"path": "a", "content": "", "mode": 1}]}"#, "files[1].mode"),
        (#"{"limits": {"cpus": 1, "cpu": 1}}"#, "limits.cpu"),
    ])
    func unknownKeysAreFoundWithTheirPath(_ json: String, _ path: String) throws {
        let shape = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        let violation = BodySchema.jobRequest.firstViolation(in: shape)
        #expect(violation?.code == "unknown_field")
        #expect(violation?.field == path)
    }

    @Test(arguments: [
        (#"{"files": {"x": 1}}"#, "files", "files must be an array, not an object"),
        (#"{"limits": [1]}"#, "limits", "limits must be an object, not an array"),
        (#"{"limits": {"pids": 2.5}}"#, "limits.pids", "limits.pids must be an integer, not 2.5"),
        (#"{"limits": {"cpus": "two"}}"#, "limits.cpus", "limits.cpus must be a number, not a string"),
        (#"{"wait": 1}"#, "wait", "wait must be true or false, not a number"),
        (#"{"args": ["a", false]}"#, "args[1]", "args[1] must be a string, not a boolean"),
    ])
    func valuesOfTheWrongKindAreNamed(_ json: String, _ path: String, _ message: String) throws {
        let shape = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        let violation = BodySchema.jobRequest.firstViolation(in: shape)
        #expect(violation == APIError("invalid_request", message, field: path))
    }

    @Test func nullIsLeftToTheDecoder() throws {
        let shape = try JSONDecoder().decode(JSONValue.self, from: Data(#"{"language": null, "limits": null}"#.utf8))
        #expect(BodySchema.jobRequest.firstViolation(in: shape) == nil)
    }

    @Test(arguments: [
        (1_767_323_045.678, "2026-01-02T03:04:05.678Z"),
        (1_767_323_045.0, "2026-01-02T03:04:05.000Z"),
        (1_767_323_045.9996, "2026-01-02T03:04:06.000Z"),
        (1_767_323_045.05, "2026-01-02T03:04:05.050Z"),
    ])
    func datesAreISO8601WithMilliseconds(_ seconds: Double, _ text: String) throws {
        #expect(APIJSON.format(Date(timeIntervalSince1970: seconds)) == text)
        let parsed = try #require(APIJSON.parseDate(text))
        #expect(abs(parsed.timeIntervalSince1970 - seconds) < 0.001)
    }

    @Test func operatorPolicy() {
        let policy = OperatorPolicy(uids: [1001], gids: [2000])
        #expect(policy.isOperator(uid: 0, gid: 5))
        #expect(policy.isOperator(uid: 1001, gid: 5))
        #expect(policy.isOperator(uid: 1002, gid: 2000))
        #expect(!policy.isOperator(uid: 1002, gid: 5))
        #expect(!OperatorPolicy(uids: [], gids: []).isOperator(uid: 1002, gid: 2000))
    }
}
