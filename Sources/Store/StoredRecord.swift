import Foundation
import GRDB

/// What every brig table's record shares: a rowid `sequence` set on insert, and dates stored as REAL seconds
/// since 1970 — exact to the microsecond, ordered and compared as numbers, and readable in the sqlite3 shell
/// with datetime(createdAt, 'unixepoch').
public protocol StoredRecord: FetchableRecord, MutablePersistableRecord {
    var sequence: Int64? { get set }
}

extension StoredRecord {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        .timeIntervalSince1970
    }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        .timeIntervalSince1970
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        sequence = inserted.rowID
    }
}
