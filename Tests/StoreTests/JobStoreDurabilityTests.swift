import Foundation
import Store
import TestSupport
import Testing

@Suite("JobStore durability", .ownThread)
struct JobStoreDurabilityTests {
    @Test func jobSurvivesClosingAndReopening() throws {
        try TemporaryFolder.with { folder in
            let path = folder.appendingPathComponent("brig.sqlite").path
            let inserted: JobRecord
            do {
                let store = try JobStore(path: path)
                inserted = try store.insert(.sample("j_durable"))
                try store.appendEvent(jobID: "j_durable", kind: "state", data: #"{"status":"queued"}"#, at: Date())
            }
            let reopened = try JobStore(path: path)
            #expect(try reopened.job(id: "j_durable") == inserted)
            #expect(try reopened.events(jobID: "j_durable").map(\.kind) == ["state"])
        }
    }

    @Test func createsTheFolderOfTheDatabase() throws {
        try TemporaryFolder.with { folder in
            let path = folder.appendingPathComponent("state/db/brig.sqlite").path
            let store = try JobStore(path: path)
            _ = try store.insert(.sample("j_nested"))
            #expect(FileManager.default.fileExists(atPath: path))
        }
    }

    /// WAL mode is persistent: SQLite records it in the file header (bytes 18 and 19 are 2, not 1) and keeps a
    /// `-wal` file beside the database while it is open.
    @Test func databaseIsInWALMode() throws {
        try TemporaryFolder.with { folder in
            let path = folder.appendingPathComponent("brig.sqlite").path
            let store = try JobStore(path: path)
            _ = try store.insert(.sample("j_wal"))

            #expect(FileManager.default.fileExists(atPath: path + "-wal"))
            let header = try #require(FileHandle(forReadingAtPath: path)).readData(ofLength: 100)
            try #require(header.count == 100)
            #expect(String(decoding: header.prefix(15), as: UTF8.self) == "SQLite format 3")
            #expect(header[18] == 2 && header[19] == 2)
        }
    }

    @Test func reopeningDoesNotRunTheMigrationsAgain() throws {
        try TemporaryFolder.with { folder in
            let path = folder.appendingPathComponent("brig.sqlite").path
            for round in 0..<3 {
                let store = try JobStore(path: path)
                #expect(try store.count() == round)
                _ = try store.insert(.sample("j_round_\(round)"))
                #expect(try store.integrityCheck().isEmpty)
            }
            #expect(try JobStore(path: path).count() == 3)
        }
    }

    @Test func freshDatabasesPassTheIntegrityCheck() throws {
        #expect(try JobStore.temporary().integrityCheck().isEmpty)
        try TemporaryFolder.with { folder in
            let store = try JobStore(path: folder.appendingPathComponent("brig.sqlite").path)
            #expect(try store.integrityCheck().isEmpty)
        }
    }

    @Test func fileThatIsNotADatabaseIsRefusedWithAReason() throws {
        try TemporaryFolder.with { folder in
            let path = folder.appendingPathComponent("garbage.sqlite").path
            try Data(repeating: 0x5a, count: 8192).write(to: URL(fileURLWithPath: path))
            let error = try #require(throws: StoreError.self) { try JobStore(path: path) }
            #expect(["corrupt", "migration_failed"].contains(error.code))
            #expect(error.description.contains(path) || error.description.contains("garbage"))
        }
    }

    @Test func folderThatCannotBeCreatedIsRefusedWithAReason() throws {
        try TemporaryFolder.with { folder in
            let blocker = folder.appendingPathComponent("file")
            try Data("not a folder".utf8).write(to: blocker)
            let error = try #require(throws: StoreError.self) {
                try JobStore(path: blocker.appendingPathComponent("brig.sqlite").path)
            }
            #expect(error.code == "cannot_open")
            #expect(error.message.contains(blocker.path))
        }
    }
}
