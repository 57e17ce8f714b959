import Foundation
import Store
import Testing

/// The three commits of a job's life (accepted, started, ended), each writing the row and its event together.
@Suite("JobStore job lifecycle")
struct JobStoreLifecycleTests {
    @Test func eachStepStoresTheStateAndItsEventTogetherAndSurvivesReopening() throws {
        try TemporaryFolder.with { folder in
            let path = folder.appendingPathComponent("brig.sqlite").path
            let ended: JobRecord?
            do {
                let store = try JobStore(path: path)
                let inserted = try store.insert(.sample("j_life"), event: "state", data: #"{"status":"queued"}"#)
                #expect(inserted.sequence != nil)
                #expect(try store.events(jobID: "j_life").map(\.data) == [#"{"status":"queued"}"#])

                #expect(try store.markRunning(id: "j_life", at: Date(), event: "state", data: #"{"status":"running"}"#))
                #expect(try store.job(id: "j_life")?.status == "running")

                let result = Data(#"{"status":"ok"}"#.utf8)
                let finished = try store.finish(
                    id: "j_life", status: "ok", compileResult: nil, result: result, message: nil, at: Date(),
                    event: "state", data: #"{"status":"ok"}"#)
                #expect(finished.ended)
                #expect(finished.job?.status == "ok")
                #expect(finished.job?.result == result)
                #expect(finished.job == (try store.job(id: "j_life")))
                ended = finished.job
            }
            let reopened = try JobStore(path: path)
            #expect(try reopened.job(id: "j_life") == ended)
            #expect(try reopened.events(jobID: "j_life").map(\.data)
                == [#"{"status":"queued"}"#, #"{"status":"running"}"#, #"{"status":"ok"}"#])
        }
    }

    /// A synchronous job is stored as it starts: its row, its queued state as of its creation and its running
    /// state in one commit; a job of that id already there makes the whole commit fail.
    @Test func aJobStoredAsItStartsHasItsQueuedAndRunningStatesInOrder() throws {
        let store = try JobStore.temporary()
        let job = JobRecord.sample("j_sync")
        let started = job.createdAt.addingTimeInterval(0.25)
        let inserted = try store.insertRunning(
            job, queuedEvent: #"{"status":"queued"}"#, at: started, event: "state", data: #"{"status":"running"}"#)
        #expect(inserted.sequence != nil)
        let stored = try #require(try store.job(id: "j_sync"))
        #expect(stored.status == "running")
        #expect(inserted == stored, "the answer is the job as stored")
        #expect(stored.startedAt.map { abs($0.timeIntervalSince(started)) < 0.001 } == true)
        let events = try store.events(jobID: "j_sync")
        #expect(events.map(\.data) == [#"{"status":"queued"}"#, #"{"status":"running"}"#])
        #expect(events.first.map { abs($0.createdAt.timeIntervalSince(job.createdAt)) < 0.001 } == true)
        #expect(events.last.map { abs($0.createdAt.timeIntervalSince(started)) < 0.001 } == true)

        #expect(throws: StoreError.self) {
            try store.insertRunning(job, queuedEvent: "{}", at: started, event: "state", data: "{}")
        }
        #expect(try store.events(jobID: "j_sync").count == 2, "the failed commit wrote nothing")
    }

    @Test func finishingAnEndedJobChangesNothingButItsHistory() throws {
        let store = try JobStore.temporary()
        _ = try store.insert(.sample("j_twice"), event: "state", data: "{}")
        let first = try store.finish(
            id: "j_twice", status: "cancelled", compileResult: nil, result: nil, message: "first", at: Date(),
            event: "state", data: #"{"status":"cancelled"}"#)
        let second = try store.finish(
            id: "j_twice", status: "ok", compileResult: nil, result: nil, message: "second", at: Date(),
            event: "state", data: #"{"status":"ok"}"#)
        #expect(first.ended && !second.ended)
        #expect(second.job?.status == "cancelled" && second.job?.message == "first")
        #expect(try store.events(jobID: "j_twice").count == 3)
    }

    @Test func unknownJobsAreNotWrittenTo() throws {
        let store = try JobStore.temporary()
        let finished = try store.finish(
            id: "j_none", status: "ok", compileResult: nil, result: nil, message: nil, at: Date(), event: "state", data: "{}")
        #expect(!finished.ended && finished.job == nil)
        let error = try #require(throws: StoreError.self) {
            try store.markRunning(id: "j_none", at: Date(), event: "state", data: "{}")
        }
        #expect(error.code == "not_found")
        #expect(try store.events(jobID: "j_none").isEmpty)
    }

    @Test func aNonTerminalEndIsRefused() throws {
        let store = try JobStore.temporary()
        _ = try store.insert(.sample("j_open"), event: "state", data: "{}")
        let error = try #require(throws: StoreError.self) {
            try store.finish(
                id: "j_open", status: "running", compileResult: nil, result: nil, message: nil, at: Date(),
                event: "state", data: "{}")
        }
        #expect(error.code == "invalid_argument")
        #expect(try store.job(id: "j_open")?.status == "queued")
    }
}
