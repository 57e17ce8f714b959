import Foundation
import Store
import Testing

@Suite("JobStore purge")
struct JobStorePurgeTests {
    static let day: TimeInterval = 86_400
    static let now = Date(timeIntervalSince1970: 1_750_000_000)

    /// Ends job `id` `daysAgo` days before `now`, with one event so cascades show.
    private func end(_ store: JobStore, _ id: String, daysAgo: Double, status: String = "ok") throws {
        try store.appendEvent(jobID: id, kind: "state", data: #"{"status":"\#(status)"}"#, at: Self.now)
        try store.finish(
            id: id, status: status, compileResult: nil, result: Data("{}".utf8), message: nil,
            at: Self.now.addingTimeInterval(-daysAgo * Self.day))
    }

    @Test func removesEndedJobsOlderThanTheCutoffAndTheirEvents() throws {
        let store = try JobStore.temporary()
        _ = try store.insertSamples(6)
        try end(store, "j-0", daysAgo: 30)
        try end(store, "j-1", daysAgo: 8, status: "timeout")
        try end(store, "j-2", daysAgo: 1)
        try store.markRunning(id: "j-3", at: Self.now.addingTimeInterval(-40 * Self.day))
        try store.appendEvent(jobID: "j-3", kind: "state", data: "{}", at: Self.now)
        // j-4 and j-5 stay queued, created long ago.

        let removed = try store.purge(olderThan: Self.now.addingTimeInterval(-7 * Self.day), keepingAtMost: 1_000)

        #expect(removed == 2)
        #expect(try store.list(limit: 50).map(\.id) == ["j-5", "j-4", "j-3", "j-2"])
        #expect(try store.events(jobID: "j-0").isEmpty)
        #expect(try store.events(jobID: "j-1").isEmpty)
        #expect(try store.events(jobID: "j-2").count == 1)
        #expect(try store.events(jobID: "j-3").count == 1)
        #expect(try store.integrityCheck().isEmpty)
    }

    @Test func keepsOnlyTheNewestEndedJobsBeyondTheCount() throws {
        let store = try JobStore.temporary()
        _ = try store.insertSamples(12)
        for index in 0..<10 { try end(store, "j-\(index)", daysAgo: 1) }
        try store.markRunning(id: "j-10", at: Self.now)

        let removed = try store.purge(olderThan: Self.now.addingTimeInterval(-7 * Self.day), keepingAtMost: 3)

        #expect(removed == 7)
        #expect(try store.list(limit: 50).map(\.id) == ["j-11", "j-10", "j-9", "j-8", "j-7"])
        #expect(try (0..<7).allSatisfy { try store.events(jobID: "j-\($0)").isEmpty })
        #expect(try store.events(jobID: "j-9").count == 1)
    }

    @Test func keepingNoneStillNeverTouchesQueuedOrRunningJobs() throws {
        let store = try JobStore.temporary()
        _ = try store.insertSamples(4)
        try store.markRunning(id: "j-1", at: Self.now.addingTimeInterval(-400 * Self.day))
        try end(store, "j-2", daysAgo: 400)

        #expect(try store.purge(olderThan: Self.now, keepingAtMost: 0) == 1)
        #expect(try store.list(limit: 50).map(\.id) == ["j-3", "j-1", "j-0"])
        #expect(try store.purge(olderThan: Self.now, keepingAtMost: 0) == 0)
    }

    @Test func ageAndCountTogetherAreCountedOnce() throws {
        let store = try JobStore.temporary()
        _ = try store.insertSamples(6)
        for index in 0..<3 { try end(store, "j-\(index)", daysAgo: 30) }
        for index in 3..<6 { try end(store, "j-\(index)", daysAgo: 1) }

        #expect(try store.purge(olderThan: Self.now.addingTimeInterval(-7 * Self.day), keepingAtMost: 2) == 4)
        #expect(try store.list(limit: 50).map(\.id) == ["j-5", "j-4"])
    }

    @Test func purgedSequencesAreNeverHandedOutAgain() throws {
        let store = try JobStore.temporary()
        let jobs = try store.insertSamples(3)
        for job in jobs { try end(store, job.id, daysAgo: 30) }
        #expect(try store.purge(olderThan: Self.now, keepingAtMost: 0) == 3)

        let next = try store.insert(.sample("j-after"))
        let lastPurged = try #require(jobs.last?.sequence)
        #expect(try #require(next.sequence) > lastPurged)
    }

    @Test func negativeCountIsRefused() throws {
        let store = try JobStore.temporary()
        let error = try #require(throws: StoreError.self) { try store.purge(olderThan: Self.now, keepingAtMost: -1) }
        #expect(error.code == "invalid_argument")
        #expect(error.message.contains("keepingAtMost"))
    }
}
