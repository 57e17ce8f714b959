import Foundation
import GRDB

/// Jobs, their results and their events in SQLite. Thread-safe: every method may be called from any thread or
/// task at once (GRDB serializes the writes; with a file, reads run beside them in WAL mode). Every write is
/// committed before the method returns, so a job the engine has inserted survives a crash of the daemon (not
/// necessarily a power cut: see `init(path:)`).
public final class JobStore: Sendable {
    let database: any DatabaseWriter

    /// Opens (or creates, with its folder) the database at `path` in WAL mode and brings its schema up to date.
    public convenience init(path: String) throws(StoreError) {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw StoreError(
                code: "cannot_open", message: "create the database's folder \(folder.path) failed",
                underlying: String(describing: error))
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: Self.configuration)
            // GRDB sets synchronous = NORMAL with WAL: a commit is in the WAL file (the kernel's page cache) when
            // it returns, so a crash or kill of the daemon loses nothing; only a power cut or kernel crash may
            // lose the last commits before the next checkpoint's fsync. FULL (an fsync at every commit, ~3 ms
            // here, three commits a job) made the disk the bottleneck of every job; it is not set.
        } catch {
            throw StoreError(step: "open the database \(path)", error: error)
        }
        try self.init(database: pool, name: path)
    }

    /// A private in-memory database, gone when the store is: for tests.
    public static func temporary() throws(StoreError) -> JobStore {
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(configuration: configuration)
        } catch {
            throw StoreError(step: "open an in-memory database", error: error)
        }
        return try JobStore(database: queue, name: "an in-memory database")
    }

    private init(database: any DatabaseWriter, name: String) throws(StoreError) {
        self.database = database
        let migrator = Self.migrator
        do {
            // A newer brig may have migrated this file further; running on would misread its rows.
            if try database.read(migrator.hasBeenSuperseded) {
                throw StoreError(
                    code: "newer_schema",
                    message: "\(name) was written by a newer brig (its schema has migrations this one does not know)")
            }
            try migrator.migrate(database)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(
                code: "migration_failed", message: "migrate the schema of \(name) failed",
                underlying: String(describing: error))
        }
    }

    private static var configuration: Configuration {
        var configuration = Configuration()
        configuration.label = "brig.store"
        // Another process (an operator's sqlite3 shell, a backup) may hold a lock for a moment; wait, do not fail.
        configuration.busyMode = .timeout(5)
        configuration.foreignKeysEnabled = true
        return configuration
    }

    // MARK: - Jobs

    /// Inserts a new job; returns it as stored, with `sequence` set.
    public func insert(_ job: JobRecord) throws(StoreError) -> JobRecord {
        try write("insert job \(job.id)") { db in try Self.insertRow(job, db) }
    }

    /// Moves a queued job to `running`. Returns false, changing nothing, when the job is no longer queued (it was
    /// cancelled meanwhile); throws `not_found` when there is no such job.
    @discardableResult
    public func markRunning(id: String, at: Date) throws(StoreError) -> Bool {
        try write("mark job \(id) running") { db in
            try Self.updateToRunning(db, id: id, at: at)
            return try Self.changedOrExisting(db, id: id)
        }
    }

    /// Records the end of a queued or running job: its terminal `status`, results and message. Returns false,
    /// changing nothing, when the job had already ended (a terminal state is final); throws `not_found` when there
    /// is no such job and `invalid_argument` when `status` is not terminal.
    @discardableResult
    public func finish(
        id: String, status: String, compileResult: Data?, result: Data?, message: String?, at: Date
    ) throws(StoreError) -> Bool {
        guard !Self.unfinishedStatuses.contains(status) else {
            throw .invalidArgument("status", "\"\(status)\" is not a terminal status")
        }
        return try write("finish job \(id)") { db in
            try Self.updateToFinished(
                db, id: id, status: status, compileResult: compileResult, result: result, message: message, at: at)
            return try Self.changedOrExisting(db, id: id)
        }
    }

    public func job(id: String) throws(StoreError) -> JobRecord? {
        try read("read job \(id)") { db in
            try Self.jobRow(db, id: id)
        }
    }

    /// Newest first. `owner` nil lists everyone's jobs; `status` and `language` narrow the list; `beforeSequence`
    /// is the cursor: pass the last `sequence` of the page before to get the next one.
    public func list(
        owner: UInt32? = nil, status: String? = nil, language: String? = nil, limit: Int, beforeSequence: Int64? = nil
    ) throws(StoreError) -> [JobRecord] {
        guard limit > 0 else { throw .invalidArgument("limit", "must be at least 1, not \(limit)") }
        let request = Self.listRequest(
            owner: owner, status: status, language: language, limit: limit, beforeSequence: beforeSequence)
        return try read("list jobs") { db in try request.fetchAll(db) }
    }

    /// The query behind `list`; each filter is served by an index on (filter column, sequence), so a page costs
    /// the same with ten jobs or a million.
    static func listRequest(
        owner: UInt32?, status: String?, language: String?, limit: Int, beforeSequence: Int64?
    ) -> QueryInterfaceRequest<JobRecord> {
        var request = JobRecord.all()
        if let owner { request = request.filter(JobRecord.Columns.owner == Int64(owner)) }
        if let status { request = request.filter(JobRecord.Columns.status == status) }
        if let language { request = request.filter(JobRecord.Columns.language == language) }
        if let beforeSequence { request = request.filter(JobRecord.Columns.sequence < beforeSequence) }
        return request.order(JobRecord.Columns.sequence.desc).limit(limit)
    }

    /// SQLite's plan for a `list` query, one step a line: lets tests prove the indexes serve it.
    func listQueryPlan(
        owner: UInt32?, status: String?, language: String?, beforeSequence: Int64?
    ) throws(StoreError) -> [String] {
        let request = Self.listRequest(
            owner: owner, status: status, language: language, limit: 50, beforeSequence: beforeSequence)
        return try read("explain a list query") { db in
            let statement = try request.makePreparedRequest(db).statement
            return try Row.fetchAll(
                db, sql: "EXPLAIN QUERY PLAN " + statement.sql, arguments: statement.arguments
            ).map { row in row["detail"] as String }
        }
    }

    /// How many jobs there are, or how many with `status`.
    public func count(status: String? = nil) throws(StoreError) -> Int {
        try read("count jobs") { db in
            if let status { return try JobRecord.filter(JobRecord.Columns.status == status).fetchCount(db) }
            return try JobRecord.fetchCount(db)
        }
    }

    // MARK: - Events

    /// Appends an event to a job's history; throws `not_found` when there is no such job.
    public func appendEvent(jobID: String, kind: String, data: String, at: Date) throws(StoreError) {
        try write("append a \(kind) event to job \(jobID)") { db in
            guard try JobRecord.filter(JobRecord.Columns.id == jobID).isEmpty(db) == false else {
                throw StoreError.notFound(job: jobID)
            }
            try Self.insertEvent(db, jobID: jobID, kind: kind, data: data, at: at)
        }
    }

    /// A job's events in the order they were appended.
    public func events(jobID: String) throws(StoreError) -> [JobEventRecord] {
        try read("read the events of job \(jobID)") { db in
            try JobEventRecord
                .filter(JobEventRecord.Columns.jobID == jobID)
                .order(JobEventRecord.Columns.sequence)
                .fetchAll(db)
        }
    }

    // MARK: - Start-up and retention

    /// At start-up: jobs a dead daemon left `running` become `lost`, with `message` and `finishedAt`. Returns their
    /// ids and the jobs still `queued`, in submission order, for the engine to queue again.
    public func recoverAfterRestart(message: String, at: Date) throws(StoreError) -> (lost: [String], queued: [JobRecord]) {
        try write("recover jobs after a restart") { db in
            let lost = try String.fetchAll(
                db, JobRecord.select(JobRecord.Columns.id)
                    .filter(JobRecord.Columns.status == "running")
                    .order(JobRecord.Columns.sequence))
            try db.execute(
                sql: "UPDATE job SET status = 'lost', message = ?, finishedAt = ? WHERE status = 'running'",
                arguments: [message, at.timeIntervalSince1970])
            let queued = try JobRecord
                .filter(JobRecord.Columns.status == "queued")
                .order(JobRecord.Columns.sequence)
                .fetchAll(db)
            return (lost, queued)
        }
    }

    /// Deletes the ended jobs that finished before `olderThan`, then the oldest ended ones (by submission) beyond
    /// the newest `keepingAtMost` ended jobs; their events go with them. Queued and running jobs are never touched
    /// and do not count against `keepingAtMost`. Returns how many jobs were removed.
    public func purge(olderThan: Date, keepingAtMost: Int) throws(StoreError) -> Int {
        guard keepingAtMost >= 0 else {
            throw .invalidArgument("keepingAtMost", "must be 0 or more, not \(keepingAtMost)")
        }
        return try write("purge old jobs") { db in
            try db.execute(
                sql: "DELETE FROM job WHERE status NOT IN ('queued', 'running') AND finishedAt < ?",
                arguments: [olderThan.timeIntervalSince1970])
            // changesCount counts the jobs only, not the events the foreign key cascades to.
            let byAge = db.changesCount
            try db.execute(
                sql: """
                    DELETE FROM job WHERE sequence IN (
                        SELECT sequence FROM job WHERE status NOT IN ('queued', 'running')
                        ORDER BY sequence DESC LIMIT -1 OFFSET ?
                    )
                    """,
                arguments: [keepingAtMost])
            return byAge + db.changesCount
        }
    }

    /// Problems `PRAGMA quick_check` and `PRAGMA foreign_key_check` report; empty when the database is sound.
    public func integrityCheck() throws(StoreError) -> [String] {
        try read("check the database's integrity") { db in
            var problems = try String.fetchAll(db, sql: "PRAGMA quick_check").filter { $0 != "ok" }
            for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
                let table: String = row[0]
                let rowID: Int64? = row[1]
                let parent: String = row[2]
                problems.append("row \(rowID.map(String.init) ?? "?") of \(table) refers to a missing \(parent) row")
            }
            return problems
        }
    }

    // MARK: - Plumbing

    static let unfinishedStatuses: Set<String> = ["queued", "running"]

    /// After a guarded UPDATE: true when it changed the job, false when the job exists but was in another state.
    // MARK: - Statements shared by the one-step writes and those of `JobStore+Lifecycle`

    /// Inserts `job`; returns what a later `job(id:)` returns (dates as stored, `sequence` set) without
    /// reading the row back.
    static func insertRow(_ job: JobRecord, _ db: Database) throws -> JobRecord {
        var inserted = job
        inserted.sequence = nil
        try inserted.insert(db)
        return inserted.asStored
    }

    // The statements of every job's life are prepared once per connection (`cachedStatement`), not parsed again.

    /// Moves the job to `running` if it is still queued (see `db.changesCount`).
    static func updateToRunning(_ db: Database, id: String, at: Date) throws {
        try db.cachedStatement(
            sql: "UPDATE job SET status = 'running', startedAt = ? WHERE id = ? AND status = 'queued'"
        ).execute(arguments: [at.timeIntervalSince1970, id])
    }

    /// Ends the job with its results if it is still queued or running (see `db.changesCount`).
    static func updateToFinished(
        _ db: Database, id: String, status: String, compileResult: Data?, result: Data?, message: String?, at: Date
    ) throws {
        try db.cachedStatement(
            sql: """
                UPDATE job SET status = ?, compileResult = ?, result = ?, message = ?, finishedAt = ?
                WHERE id = ? AND status IN ('queued', 'running')
                """
        ).execute(arguments: [status, compileResult, result, message, at.timeIntervalSince1970, id])
    }

    /// The job with `id`, nil when there is none.
    static func jobRow(_ db: Database, id: String) throws -> JobRecord? {
        try JobRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM job WHERE id = ?"), arguments: [id])
    }

    /// Appends an event row; the caller knows the job exists.
    static func insertEvent(_ db: Database, jobID: String, kind: String, data: String, at: Date) throws {
        try db.cachedStatement(
            sql: "INSERT INTO jobEvent (jobID, kind, data, createdAt) VALUES (?, ?, ?, ?)"
        ).execute(arguments: [jobID, kind, data, at.timeIntervalSince1970])
    }

    static func changedOrExisting(_ db: Database, id: String) throws -> Bool {
        if db.changesCount > 0 { return true }
        guard try JobRecord.filter(JobRecord.Columns.id == id).isEmpty(db) == false else {
            throw StoreError.notFound(job: id)
        }
        return false
    }

    /// Runs `updates` in one transaction, committed before it returns.
    func write<T>(_ step: String, _ updates: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try database.write(updates)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(step: step, error: error)
        }
    }

    func read<T>(_ step: String, _ value: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try database.read(value)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(step: step, error: error)
        }
    }
}
