import Foundation
import GRDB

/// A job's life in three transactions: accepted (the row and its "queued" event), started ("running" and its
/// event), ended (the results, the final state event, and the row read back). Each commit is one WAL write, so a
/// job costs three commits instead of one per step; a synchronous job, stored as it starts, two.
extension JobStore {
    /// Inserts a new job with its first event; returns the job as stored, with `sequence` set.
    public func insert(_ job: JobRecord, event kind: String, data: String) throws(StoreError) -> JobRecord {
        try write("insert job \(job.id)") { db in
            let inserted = try Self.insertRow(job, db)
            try Self.insertEvent(db, jobID: job.id, kind: kind, data: data, at: job.createdAt)
            return inserted
        }
    }

    /// `insert` and `markRunning` in one transaction: a job stored as it starts, with its "queued" event as of
    /// its creation and its running `event` as of `at`; returns the job as stored (running since `at`).
    public func insertRunning(
        _ job: JobRecord, queuedEvent queued: String, at: Date, event kind: String, data: String
    ) throws(StoreError) -> JobRecord {
        try write("insert job \(job.id) running") { db in
            var inserted = try Self.insertRow(job, db)
            try Self.insertEvent(db, jobID: job.id, kind: kind, data: queued, at: job.createdAt)
            try Self.updateToRunning(db, id: job.id, at: at)
            try Self.insertEvent(db, jobID: job.id, kind: kind, data: data, at: at)
            inserted.status = "running"
            inserted.startedAt = at
            return inserted.asStored
        }
    }

    /// `markRunning(id:at:)` and an event in one transaction. The event is stored either way (as before, a job
    /// cancelled meanwhile still records that a worker took it); returns whether the job moved to `running`.
    @discardableResult
    public func markRunning(id: String, at: Date, event kind: String, data: String) throws(StoreError) -> Bool {
        try write("mark job \(id) running") { db in
            try Self.updateToRunning(db, id: id, at: at)
            let changed = try Self.changedOrExisting(db, id: id)
            try Self.insertEvent(db, jobID: id, kind: kind, data: data, at: at)
            return changed
        }
    }

    /// `finish(...)` and an event in one transaction, answering whether it ended the job and the job as stored
    /// after it (nil when there is no such job: then nothing is written).
    public func finish(
        id: String, status: String, compileResult: Data?, result: Data?, message: String?, at: Date,
        event kind: String, data: String
    ) throws(StoreError) -> (ended: Bool, job: JobRecord?) {
        guard !Self.unfinishedStatuses.contains(status) else {
            throw .invalidArgument("status", "\"\(status)\" is not a terminal status")
        }
        return try write("finish job \(id)") { db in
            try Self.updateToFinished(
                db, id: id, status: status, compileResult: compileResult, result: result, message: message, at: at)
            let ended = db.changesCount > 0
            guard let job = try Self.jobRow(db, id: id) else { return (false, nil) }
            try Self.insertEvent(db, jobID: id, kind: kind, data: data, at: at)
            return (ended, job)
        }
    }
}
