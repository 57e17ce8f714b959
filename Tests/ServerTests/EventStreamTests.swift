import API
import Engine
import Hummingbird
import HummingbirdTesting
import Server
import Testing

@Suite("Server event stream")
struct EventStreamTests {
    @Test func eventsAreFramedInOrderAndTheStreamEndsAfterEnd() async throws {
        let events = [
            JobEvent(kind: "state", data: #"{"status":"running"}"#),
            JobEvent(kind: "stdout", data: #"{"step":"run","text":"a\n"}"#),
            JobEvent(kind: "stderr", data: #"{"step":"run","text":"b\n"}"#),
            JobEvent(kind: "end", data: #"{"id":"job-1","status":"ok"}"#),
            JobEvent(kind: "stdout", data: #"{"step":"run","text":"after the end"}"#),
        ]
        let service = FakeJobService(events: events)
        let response = try await RouterHarness.test(service) { client in
            try await client.execute(uri: "/v1/jobs/job-1/events", method: .get)
        }
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "text/event-stream")
        #expect(response.headers[.cacheControl] == "no-cache")
        #expect(
            String(buffer: response.body)
                == "event: state\ndata: {\"status\":\"running\"}\n\n"
                + "event: stdout\ndata: {\"step\":\"run\",\"text\":\"a\\n\"}\n\n"
                + "event: stderr\ndata: {\"step\":\"run\",\"text\":\"b\\n\"}\n\n"
                + "event: end\ndata: {\"id\":\"job-1\",\"status\":\"ok\"}\n\n")
        #expect(await service.calls == [.init(method: "events", peer: RouterHarness.user, argument: "job-1")])
    }

    @Test func aStreamThatFinishesWithoutEndClosesCleanly() async throws {
        let service = FakeJobService(events: [JobEvent(kind: "state", data: #"{"status":"running"}"#)])
        let response = try await RouterHarness.test(service) { client in
            try await client.execute(uri: "/v1/jobs/job-1/events", method: .get)
        }
        #expect(response.status == .ok)
        #expect(String(buffer: response.body) == "event: state\ndata: {\"status\":\"running\"}\n\n")
    }
}
