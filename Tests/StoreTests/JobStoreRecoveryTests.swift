import Foundation
import Store
import Testing

@Suite("JobStore recovery after a restart")
struct JobStoreRecoveryTests {
    @Test func runningJobsAreLostQueuedJobsComeBackInOrderEndedJobsStay() throws {
        try TemporaryFolder.with { folder in
            let path = folder.appendingPathComponent("brig.sqlite").path
            let ended: [JobRecord]
            do {
                // The daemon that "dies": some jobs queued, some running, some over.
                let store = try JobStore(path: path)
                _ = try store.insertSamples(7)
                for id in ["j-1", "j-4"] { try store.markRunning(id: id, at: Date(timeIntervalSince1970: 1_750_000_050)) }
                try store.markRunning(id: "j-2", at: Date(timeIntervalSince1970: 1_750_000_050))
                try store.finish(
                    id: "j-2", status: "ok", compileResult: nil, result: Data("{}".utf8), message: nil,
                    at: Date(timeIntervalSince1970: 1_750_000_060))
                try store.finish(
                    id: "j-5", status: "cancelled", compileResult: nil, result: nil, message: "by user",
                    at: Date(timeIntervalSince1970: 1_750_000_061))
                ended = try ["j-2", "j-5"].map { id in try #require(try store.job(id: id)) }
            }

            let store = try JobStore(path: path)
            let at = Date(timeIntervalSince1970: 1_750_000_100)
            let recovered = try store.recoverAfterRestart(message: "the daemon stopped while the job ran", at: at)

            #expect(recovered.lost == ["j-1", "j-4"])
            #expect(recovered.queued.map(\.id) == ["j-0", "j-3", "j-6"])
            #expect(recovered.queued.allSatisfy { $0.status == "queued" })
            for id in ["j-1", "j-4"] {
                let job = try #require(try store.job(id: id))
                #expect(job.status == "lost")
                #expect(job.message == "the daemon stopped while the job ran")
                #expect(job.finishedAt == at)
                #expect(job.startedAt == Date(timeIntervalSince1970: 1_750_000_050))
            }
            #expect(try ["j-2", "j-5"].map { try store.job(id: $0) } == ended)
        }
    }

    @Test func secondRecoveryFindsNothingLost() throws {
        let store = try JobStore.temporary()
        _ = try store.insertSamples(2)
        try store.markRunning(id: "j-0", at: Date())
        #expect(try store.recoverAfterRestart(message: "lost", at: Date()).lost == ["j-0"])
        let again = try store.recoverAfterRestart(message: "lost", at: Date())
        #expect(again.lost.isEmpty)
        #expect(again.queued.map(\.id) == ["j-1"])
    }

    @Test func emptyStoreRecoversNothing() throws {
        let recovered = try JobStore.temporary().recoverAfterRestart(message: "lost", at: Date())
        #expect(recovered.lost.isEmpty && recovered.queued.isEmpty)
    }
}
