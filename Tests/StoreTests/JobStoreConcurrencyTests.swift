import Foundation
import Store
import Testing

@Suite("JobStore concurrency")
struct JobStoreConcurrencyTests {
    /// Four writers on their own threads, each inserting 100 jobs with an event and moving some along, while a
    /// reader lists: every write lands, each job exactly once, sequences unique.
    @Test func concurrentWritersAllLand() async throws {
        try await TemporaryFolder.with { folder in
            let store = try JobStore(path: folder.appendingPathComponent("brig.sqlite").path)
            let writers = 4
            let perWriter = 100

            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        try await Self.onOwnThread {
                            for index in 0..<perWriter {
                                let id = "w\(writer)-\(index)"
                                _ = try store.insert(.sample(id, owner: UInt32(1000 + writer)))
                                try store.appendEvent(jobID: id, kind: "state", data: "{}", at: Date())
                                if index.isMultiple(of: 2) { try store.markRunning(id: id, at: Date()) }
                            }
                        }
                    }
                }
                group.addTask {
                    try await Self.onOwnThread {
                        for _ in 0..<50 { _ = try store.list(limit: 20) }
                    }
                }
                try await group.waitForAll()
            }

            #expect(try store.count() == writers * perWriter)
            #expect(try store.count(status: "running") == writers * perWriter / 2)
            var all: [JobRecord] = []
            var cursor: Int64?
            while true {
                let page = try store.list(limit: 97, beforeSequence: cursor)
                if page.isEmpty { break }
                all += page
                cursor = page.last?.sequence
            }
            #expect(all.count == writers * perWriter)
            #expect(Set(all.map(\.id)).count == writers * perWriter)
            #expect(Set(all.compactMap(\.sequence)).count == writers * perWriter)
            for writer in 0..<writers {
                #expect(try store.list(owner: UInt32(1000 + writer), limit: 500).count == perWriter)
                #expect(try store.events(jobID: "w\(writer)-\(perWriter - 1)").count == 1)
            }
        }
    }

    /// Runs `body` on a thread of its own, as the engine's workers do, so the writers really overlap.
    private static func onOwnThread(_ body: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let thread = Thread {
                do {
                    try body()
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.start()
        }
    }
}
