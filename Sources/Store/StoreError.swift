import GRDB

/// A store failure: a stable `code` for machines, a `message` naming the step and the reason for people, and the
/// underlying SQLite error's text when there is one.
///
/// Codes: `cannot_open`, `migration_failed`, `newer_schema`, `not_found`, `duplicate`, `invalid_argument`,
/// `busy`, `disk_full`, `corrupt`, `read_only`, `io_error`, `constraint`, `database_error`.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var underlying: String?

    public init(code: String, message: String, underlying: String? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// Classifies a failure during `step` ("insert job j_1"); SQLite's result code decides the `code`.
    init(step: String, error: any Error) {
        guard let databaseError = error as? DatabaseError else {
            self.init(code: "database_error", message: "\(step) failed", underlying: String(describing: error))
            return
        }
        let (code, reason) = Self.classify(databaseError)
        self.init(code: code, message: "\(step) failed: \(reason)", underlying: String(describing: databaseError))
    }

    public var description: String {
        guard let underlying else { return "\(code): \(message)" }
        return "\(code): \(message) (\(underlying))"
    }

    static func notFound(job id: String) -> StoreError {
        StoreError(code: "not_found", message: "job \(id) does not exist")
    }

    static func invalidArgument(_ name: String, _ reason: String) -> StoreError {
        StoreError(code: "invalid_argument", message: "\(name): \(reason)")
    }

    private static func classify(_ error: DatabaseError) -> (code: String, reason: String) {
        switch error.extendedResultCode {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
            return ("duplicate", "a row with this key already exists")
        default:
            break
        }
        switch error.resultCode {
        case .SQLITE_CONSTRAINT:
            return ("constraint", "a constraint of the schema was violated")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return ("busy", "the database stayed locked by another connection past the busy timeout")
        case .SQLITE_FULL:
            return ("disk_full", "the disk (or the database's size limit) is full")
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return ("corrupt", "the database file is damaged or is not an SQLite database")
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH:
            return ("read_only", "the database cannot be written (permissions or a read-only file system)")
        case .SQLITE_CANTOPEN:
            return ("cannot_open", "the database file cannot be opened")
        case .SQLITE_IOERR:
            return ("io_error", "the disk reported an I/O error")
        default:
            return ("database_error", error.message ?? "SQLite error \(error.resultCode.rawValue)")
        }
    }
}
