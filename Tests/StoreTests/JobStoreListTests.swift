import Foundation
@testable import Store
import Testing

@Suite("JobStore list")
struct JobStoreListTests {
    @Test func newestFirst() throws {
        let store = try JobStore.temporary()
        let jobs = try store.insertSamples(6)
        let listed = try store.list(limit: 50)
        #expect(listed.map(\.id) == jobs.reversed().map(\.id))
    }

    @Test func limitCutsThePage() throws {
        let store = try JobStore.temporary()
        _ = try store.insertSamples(6)
        #expect(try store.list(limit: 2).map(\.id) == ["j-5", "j-4"])
    }

    @Test(arguments: [0, -1])
    func limitBelowOneIsRefused(_ limit: Int) throws {
        let store = try JobStore.temporary()
        let error = try #require(throws: StoreError.self) { try store.list(limit: limit) }
        #expect(error.code == "invalid_argument")
        #expect(error.message.contains("limit"))
    }

    /// Walks every page with the cursor: the pages together are the whole (filtered) list, in order, once each.
    @Test(arguments: [1, 3, 7, 40])
    func cursorPagesHaveNoDuplicatesAndNoGaps(pageSize: Int) throws {
        let store = try JobStore.temporary()
        let jobs = try store.insertSamples(23)
        var seen: [String] = []
        var cursor: Int64?
        var pages = 0
        while true {
            let page = try store.list(limit: pageSize, beforeSequence: cursor)
            if page.isEmpty { break }
            #expect(page.count <= pageSize)
            seen += page.map(\.id)
            cursor = page.last?.sequence
            pages += 1
            try #require(pages <= 23, "the cursor does not advance")
        }
        #expect(seen == jobs.reversed().map(\.id))
        #expect(pages == (23 + pageSize - 1) / pageSize)
    }

    @Test func cursorPagesStayStableWhileNewJobsArrive() throws {
        let store = try JobStore.temporary()
        _ = try store.insertSamples(10)
        let first = try store.list(limit: 4)
        _ = try store.insertSamples(3, prefix: "late")
        let second = try store.list(limit: 4, beforeSequence: first.last?.sequence)
        #expect(first.map(\.id) == ["j-9", "j-8", "j-7", "j-6"])
        #expect(second.map(\.id) == ["j-5", "j-4", "j-3", "j-2"])
    }

    @Test func ownerSeesOnlyTheirJobs() throws {
        let store = try JobStore.temporary()
        let alice = try store.insertSamples(4, prefix: "alice", owner: 1001)
        let bob = try store.insertSamples(3, prefix: "bob", owner: 1002)

        #expect(try store.list(owner: 1001, limit: 50).map(\.id) == alice.reversed().map(\.id))
        #expect(try store.list(owner: 1002, limit: 50).map(\.id) == bob.reversed().map(\.id))
        #expect(try store.list(owner: 1003, limit: 50).isEmpty)
        #expect(try store.list(owner: nil, limit: 50).count == 7)
    }

    @Test func filtersByStatusAndLanguageTogetherWithOwner() throws {
        let store = try JobStore.temporary()
        _ = try store.insertSamples(3, prefix: "py", owner: 1001, language: "python")
        _ = try store.insertSamples(3, prefix: "c", owner: 1001, language: "c")
        _ = try store.insertSamples(2, prefix: "c-bob", owner: 1002, language: "c")
        for id in ["py-0", "c-1", "c-2", "c-bob-0"] {
            try store.finish(id: id, status: "ok", compileResult: nil, result: nil, message: nil, at: Date())
        }

        #expect(try store.list(status: "ok", limit: 50).map(\.id) == ["c-bob-0", "c-2", "c-1", "py-0"])
        #expect(try store.list(language: "c", limit: 50).map(\.id) == ["c-bob-1", "c-bob-0", "c-2", "c-1", "c-0"])
        #expect(try store.list(status: "queued", language: "python", limit: 50).map(\.id) == ["py-2", "py-1"])
        #expect(try store.list(owner: 1001, status: "ok", language: "c", limit: 50).map(\.id) == ["c-2", "c-1"])
        #expect(try store.list(owner: 1002, status: "queued", limit: 50).map(\.id) == ["c-bob-1"])
    }

    @Test func filteredPagesWalkOnlyTheMatchingJobs() throws {
        let store = try JobStore.temporary()
        // Interleave two owners so a cursor from a filtered page skips the other owner's sequences.
        for index in 0..<10 {
            _ = try store.insert(.sample("mine-\(index)", owner: 1001))
            _ = try store.insert(.sample("theirs-\(index)", owner: 1002))
        }
        var seen: [String] = []
        var cursor: Int64?
        for _ in 0..<10 {
            let page = try store.list(owner: 1001, limit: 3, beforeSequence: cursor)
            if page.isEmpty { break }
            seen += page.map(\.id)
            cursor = page.last?.sequence
        }
        #expect(seen == (0..<10).reversed().map { "mine-\($0)" })
    }

    /// Flat with many jobs: each filter and the cursor are served by an index that also gives the order, so
    /// SQLite neither scans the table nor sorts.
    @Test(arguments: [
        (UInt32?.none, String?.none, String?.none, Int64?.none),
        (1001, nil, nil, nil), (nil, "ok", nil, nil), (nil, nil, "python", nil),
        (1001, nil, nil, 500), (nil, "queued", nil, 500), (nil, nil, "c", 500),
    ])
    func listQueriesUseAnIndexAndNeedNoSort(
        owner: UInt32?, status: String?, language: String?, before: Int64?
    ) throws {
        let store = try JobStore.temporary()
        let plan = try store.listQueryPlan(owner: owner, status: status, language: language, beforeSequence: before)
        #expect(!plan.isEmpty)
        #expect(plan.allSatisfy { !$0.contains("TEMP B-TREE") }, "sorts: \(plan)")
        if owner != nil || status != nil || language != nil {
            #expect(plan.contains { $0.hasPrefix("SEARCH job USING INDEX job_") }, "\(plan)")
        } else if before != nil {
            #expect(plan.contains { $0.hasPrefix("SEARCH job USING INTEGER PRIMARY KEY") }, "\(plan)")
        }
    }

    @Test func tenThousandJobsListAndGetByID() throws {
        let store = try JobStore.temporary()
        let languages = ["python", "c", "go", "rust"]
        for index in 0..<10_000 {
            _ = try store.insert(.sample(
                "bulk-\(index)", owner: UInt32(1000 + index % 7), language: languages[index % languages.count]))
        }
        #expect(try store.count() == 10_000)
        #expect(try store.job(id: "bulk-4321")?.owner == UInt32(1000 + 4321 % 7))
        let page = try store.list(owner: 1003, language: "go", limit: 5)
        // index % 7 == 3 and index % 4 == 2: index ≡ 10 (mod 28), newest first.
        #expect(page.map(\.id) == [9978, 9950, 9922, 9894, 9866].map { "bulk-\($0)" })
    }
}
