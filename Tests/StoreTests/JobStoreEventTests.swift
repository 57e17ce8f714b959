import Foundation
import Store
import Testing

@Suite("JobStore events")
struct JobStoreEventTests {
    @Test func eventsComeBackInTheOrderTheyWereAppended() throws {
        let store = try JobStore.temporary()
        _ = try store.insert(.sample("j_events"))
        _ = try store.insert(.sample("j_other"))
        let at = Date(timeIntervalSince1970: 1_750_000_100.25)
        let appended = [
            ("state", #"{"status":"running"}"#), ("stdout", #"{"step":"run","text":"a"}"#),
            ("stderr", #"{"step":"run","text":"b"}"#), ("state", #"{"status":"ok"}"#),
        ]
        for (offset, (kind, data)) in appended.enumerated() {
            try store.appendEvent(jobID: "j_events", kind: kind, data: data, at: at.addingTimeInterval(Double(offset)))
            try store.appendEvent(jobID: "j_other", kind: "stdout", data: "{}", at: at)
        }

        let events = try store.events(jobID: "j_events")
        #expect(events.map(\.kind) == appended.map(\.0))
        #expect(events.map(\.data) == appended.map(\.1))
        #expect(events.allSatisfy { $0.jobID == "j_events" })
        #expect(events.map(\.createdAt) == (0..<4).map { at.addingTimeInterval(Double($0)) })
        let sequences = events.compactMap(\.sequence)
        #expect(sequences.count == 4 && sequences == sequences.sorted())
    }

    @Test func jobWithoutEventsHasNone() throws {
        let store = try JobStore.temporary()
        _ = try store.insert(.sample("j_quiet"))
        #expect(try store.events(jobID: "j_quiet").isEmpty)
    }

    @Test func eventForAnUnknownJobIsNotFound() throws {
        let store = try JobStore.temporary()
        let error = try #require(throws: StoreError.self) {
            try store.appendEvent(jobID: "j_nobody", kind: "state", data: "{}", at: Date())
        }
        #expect(error.code == "not_found")
        #expect(try store.events(jobID: "j_nobody").isEmpty)
    }
}
