import Foundation
import GRDB

extension JobStore {
    /// The database file, nil for an in-memory store.
    public var filePath: String? {
        let path = database.path
        return path.isEmpty || path == ":memory:" ? nil : path
    }

    /// Bytes on disk: the database with its write-ahead log and shared-memory index; 0 in memory.
    public var sizeBytes: Int64 {
        guard let path = filePath else { return 0 }
        return [path, path + "-wal", path + "-shm"].reduce(0) { total, file in
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0
            return total + size
        }
    }

    /// Commits one write transaction that changes nothing visible (it rewrites the database header's
    /// `user_version` with its own value), so a full disk, a read-only file or a lock that never clears shows
    /// as an error here before a job's insert meets it.
    public func probeWrite() throws(StoreError) {
        do {
            try database.write { db in
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                try db.execute(sql: "PRAGMA user_version = \(version)")
            }
        } catch {
            throw StoreError(step: "write to the database", error: error)
        }
    }
}
