import Foundation
import Store
import Testing

@Suite("JobStore records")
struct JobStoreRecordTests {
    @Test func insertedJobReadsBackWithEveryField() throws {
        let store = try JobStore.temporary()
        let original = JobRecord.sample("j_round", owner: 4242, language: "c")

        let inserted = try store.insert(original)
        let read = try #require(try store.job(id: "j_round"))

        #expect(inserted.sequence != nil)
        #expect(read == inserted)
        #expect(read.owner == 4242)
        #expect(read.language == "c")
        #expect(read.profile == "default")
        #expect(read.status == "queued")
        #expect(read.request == original.request)
        #expect(read.startedAt == nil && read.finishedAt == nil && read.result == nil && read.message == nil)
        // Stored as seconds since 1970 in a REAL: microseconds survive.
        #expect(abs(read.createdAt.timeIntervalSince(original.createdAt)) < 0.000_001)
    }

    /// `insert` answers without reading the row back: its answer must still be what the row reads as, to the
    /// last bit of every date (a REAL of seconds since 1970 may move a `Date` by a rounding step).
    @Test func theInsertsAnswerIsTheStoredRowForAnyDate() throws {
        let store = try JobStore.temporary()
        var generator = SystemRandomNumberGenerator()
        for index in 0..<500 {
            // `Date` counts from 2001: now and the next decades, down to its last bit.
            let seconds = Date().timeIntervalSinceReferenceDate + Double(generator.next(upperBound: UInt64(1) << 30))
                + Double(generator.next(upperBound: UInt64(1) << 52)) / Double(UInt64(1) << 52)
            let inserted = try store.insert(.sample("j_date_\(index)", createdAt: Date(timeIntervalSinceReferenceDate: seconds)))
            let read = try #require(try store.job(id: "j_date_\(index)"))
            #expect(read == inserted, "created at \(seconds)")
        }
    }

    /// The record's columns are mapped by hand (not by Codable): every field, set or not, must survive.
    @Test func everyColumnRoundTrips() throws {
        let store = try JobStore.temporary()
        let full = JobRecord(
            id: "j_full", owner: UInt32.max, language: "", profile: "big", status: "exit_nonzero",
            request: Data([0, 1, 2, 255]), createdAt: Date(timeIntervalSince1970: 1_750_000_000.25),
            startedAt: Date(timeIntervalSince1970: 1_750_000_001.5), finishedAt: Date(timeIntervalSince1970: 1_750_000_002.75),
            message: "a message", compileResult: Data(#"{"status":"ok"}"#.utf8), result: Data(#"{"exit_code":3}"#.utf8),
            kind: "agent", steps: Data(#"[{"status":"ok"}]"#.utf8))
        let inserted = try store.insert(full)
        #expect(try store.job(id: "j_full") == inserted)
        #expect(inserted == { var expected = full; expected.sequence = inserted.sequence; return expected }())

        let bare = JobRecord(id: "j_bare", owner: 0, language: "c", profile: "default", request: Data(), createdAt: Date(timeIntervalSince1970: 0))
        let stored = try store.insert(bare)
        let read = try #require(try store.job(id: "j_bare"))
        #expect(read == stored)
        #expect(read.kind == "code" && read.steps == nil && read.message == nil && read.startedAt == nil)
        #expect(try store.list(limit: 10).map(\.id) == ["j_bare", "j_full"])
    }

    @Test func sequencesFollowSubmissionOrder() throws {
        let store = try JobStore.temporary()
        let jobs = try store.insertSamples(5)
        let sequences = jobs.compactMap(\.sequence)
        #expect(sequences.count == 5)
        #expect(sequences == sequences.sorted())
        #expect(Set(sequences).count == 5)
    }

    @Test func unknownJobIsNil() throws {
        let store = try JobStore.temporary()
        #expect(try store.job(id: "j_missing") == nil)
    }

    @Test func duplicateIDIsRefused() throws {
        let store = try JobStore.temporary()
        _ = try store.insert(.sample("j_twice"))
        let error = try #require(throws: StoreError.self) { try store.insert(.sample("j_twice", owner: 7)) }
        #expect(error.code == "duplicate")
        #expect(error.message.contains("j_twice"))
        #expect(try store.job(id: "j_twice")?.owner == 1000)
    }

    @Test func runningThenFinishedSetsTheirFields() throws {
        let store = try JobStore.temporary()
        _ = try store.insert(.sample("j_run"))
        let started = Date(timeIntervalSince1970: 1_750_000_001.5)
        let finished = Date(timeIntervalSince1970: 1_750_000_003.25)
        let compile = Data(#"{"status":"ok"}"#.utf8)
        let result = Data(#"{"status":"exit_nonzero","exit_code":3,"stdout":"hi\n"}"#.utf8)

        #expect(try store.markRunning(id: "j_run", at: started))
        let running = try #require(try store.job(id: "j_run"))
        #expect(running.status == "running")
        #expect(running.startedAt == started)
        #expect(running.finishedAt == nil)

        #expect(try store.finish(
            id: "j_run", status: "exit_nonzero", compileResult: compile, result: result, message: nil, at: finished))
        let done = try #require(try store.job(id: "j_run"))
        #expect(done.status == "exit_nonzero")
        #expect(done.startedAt == started)
        #expect(done.finishedAt == finished)
        #expect(done.compileResult == compile)
        #expect(done.result == result)
        #expect(done.message == nil)
    }

    @Test func queuedJobCanBeCancelledWithAMessage() throws {
        let store = try JobStore.temporary()
        _ = try store.insert(.sample("j_cancel"))
        let at = Date(timeIntervalSince1970: 1_750_000_010)

        #expect(try store.finish(
            id: "j_cancel", status: "cancelled", compileResult: nil, result: nil, message: "cancelled while queued",
            at: at))
        let job = try #require(try store.job(id: "j_cancel"))
        #expect(job.status == "cancelled")
        #expect(job.message == "cancelled while queued")
        #expect(job.startedAt == nil)
        #expect(job.finishedAt == at)
    }

    @Test func terminalStateIsFinal() throws {
        let store = try JobStore.temporary()
        _ = try store.insert(.sample("j_final"))
        let at = Date(timeIntervalSince1970: 1_750_000_020)
        try store.finish(id: "j_final", status: "cancelled", compileResult: nil, result: nil, message: "by user", at: at)

        // A worker that picked the job up just before the cancel must not resurrect or overwrite it.
        #expect(try store.markRunning(id: "j_final", at: at.addingTimeInterval(1)) == false)
        #expect(try store.finish(
            id: "j_final", status: "ok", compileResult: nil, result: Data("{}".utf8), message: nil,
            at: at.addingTimeInterval(2)) == false)

        let job = try #require(try store.job(id: "j_final"))
        #expect(job.status == "cancelled")
        #expect(job.message == "by user")
        #expect(job.result == nil)
        #expect(job.finishedAt == at)
    }

    @Test func runningJobCannotBeMarkedRunningAgain() throws {
        let store = try JobStore.temporary()
        _ = try store.insert(.sample("j_again"))
        let first = Date(timeIntervalSince1970: 1_750_000_030)
        #expect(try store.markRunning(id: "j_again", at: first))
        #expect(try store.markRunning(id: "j_again", at: first.addingTimeInterval(5)) == false)
        #expect(try store.job(id: "j_again")?.startedAt == first)
    }

    @Test func updatesOfAnUnknownJobAreNotFound() throws {
        let store = try JobStore.temporary()
        let running = try #require(throws: StoreError.self) { try store.markRunning(id: "j_ghost", at: Date()) }
        #expect(running.code == "not_found")
        let finished = try #require(throws: StoreError.self) {
            try store.finish(id: "j_ghost", status: "ok", compileResult: nil, result: nil, message: nil, at: Date())
        }
        #expect(finished.code == "not_found")
        #expect(finished.message.contains("j_ghost"))
    }

    @Test(arguments: ["queued", "running"])
    func finishRefusesAStatusThatIsNotTerminal(_ status: String) throws {
        let store = try JobStore.temporary()
        _ = try store.insert(.sample("j_half"))
        let error = try #require(throws: StoreError.self) {
            try store.finish(id: "j_half", status: status, compileResult: nil, result: nil, message: nil, at: Date())
        }
        #expect(error.code == "invalid_argument")
        #expect(error.message.contains("status"))
        #expect(try store.job(id: "j_half")?.status == "queued")
    }

    @Test func countsAllJobsOrThoseWithAStatus() throws {
        let store = try JobStore.temporary()
        _ = try store.insertSamples(4)
        try store.markRunning(id: "j-1", at: Date())
        #expect(try store.count() == 4)
        #expect(try store.count(status: "queued") == 3)
        #expect(try store.count(status: "running") == 1)
        #expect(try store.count(status: "ok") == 0)
    }
}
