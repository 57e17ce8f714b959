import Foundation
import GRDB

/// Sessions and their steps. A terminal state is final here too: every update is guarded by the state it
/// leaves, so a late writer (a step ending after its session was deleted) changes nothing.
extension JobStore {
    public func insertSession(_ session: SessionRecord) throws(StoreError) -> SessionRecord {
        try write("insert session \(session.id)") { db in
            var inserted = session
            inserted.sequence = nil
            try inserted.insert(db)
            return try SessionRecord.fetchOne(db, key: inserted.sequence) ?? inserted
        }
    }

    public func session(id: String) throws(StoreError) -> SessionRecord? {
        try read("read session \(id)") { db in
            try SessionRecord.filter(SessionRecord.Columns.id == id).fetchOne(db)
        }
    }

    /// Newest first; `owner` nil lists everyone's, `state` narrows, `beforeSequence` is the page cursor.
    public func listSessions(
        owner: UInt32? = nil, state: String? = nil, limit: Int, beforeSequence: Int64? = nil
    ) throws(StoreError) -> [SessionRecord] {
        guard limit > 0 else { throw .invalidArgument("limit", "must be at least 1, not \(limit)") }
        return try read("list sessions") { db in
            var request = SessionRecord.all()
            if let owner { request = request.filter(SessionRecord.Columns.owner == Int64(owner)) }
            if let state { request = request.filter(SessionRecord.Columns.state == state) }
            if let beforeSequence { request = request.filter(SessionRecord.Columns.sequence < beforeSequence) }
            return try request.order(SessionRecord.Columns.sequence.desc).limit(limit).fetchAll(db)
        }
    }

    /// Every active session, oldest first.
    public func activeSessions() throws(StoreError) -> [SessionRecord] {
        try read("list active sessions") { db in
            try SessionRecord.filter(SessionRecord.Columns.state == "active").order(SessionRecord.Columns.sequence).fetchAll(db)
        }
    }

    /// Marks the session used now (its idle clock restarts).
    public func touchSession(id: String, at: Date) throws(StoreError) {
        try write("touch session \(id)") { db in
            try db.execute(
                sql: "UPDATE session SET lastUsedAt = max(lastUsedAt, ?) WHERE id = ? AND state = 'active'",
                arguments: [at.timeIntervalSince1970, id])
        }
    }

    /// Adds a finished step's CPU time to the session's total.
    public func addSessionCPUTime(id: String, milliseconds: Int64) throws(StoreError) {
        try write("add CPU time to session \(id)") { db in
            try db.execute(sql: "UPDATE session SET cpuTimeMs = cpuTimeMs + ? WHERE id = ?", arguments: [milliseconds, id])
        }
    }

    /// Ends an active session with `state` ("ended" or "expired") and why. False, changing nothing, when it had
    /// already ended; throws `not_found` when there is no such session.
    @discardableResult
    public func endSession(id: String, state: String, reason: String, at: Date) throws(StoreError) -> Bool {
        guard state == "ended" || state == "expired" else {
            throw .invalidArgument("state", "\"\(state)\" is not an end state")
        }
        return try write("end session \(id)") { db in
            try db.execute(
                sql: "UPDATE session SET state = ?, endReason = ?, endedAt = ? WHERE id = ? AND state = 'active'",
                arguments: [state, reason, at.timeIntervalSince1970, id])
            if db.changesCount > 0 { return true }
            guard try SessionRecord.filter(SessionRecord.Columns.id == id).isEmpty(db) == false else {
                throw StoreError(code: "not_found", message: "session \(id) does not exist")
            }
            return false
        }
    }

    /// Deletes sessions that ended before `endedBefore`, with their steps; active ones are never touched. Returns
    /// how many sessions went.
    public func purgeSessions(endedBefore: Date) throws(StoreError) -> Int {
        try write("purge ended sessions") { db in
            try db.execute(
                sql: "DELETE FROM session WHERE state != 'active' AND endedAt < ?",
                arguments: [endedBefore.timeIntervalSince1970])
            return db.changesCount
        }
    }

    /// Starts a step in an active session, numbered after the last, if the session has fewer than `maxSteps`;
    /// returns it as stored, or nil when the session is not active or its step cap is reached (`reason` says).
    public func insertStep(_ step: StepRecord, maxSteps: Int) throws(StoreError) -> Result<StepRecord, StepRefusal> {
        try write("insert step \(step.id)") { db in
            guard let session = try SessionRecord.filter(SessionRecord.Columns.id == step.sessionID).fetchOne(db) else {
                throw StoreError(code: "not_found", message: "session \(step.sessionID) does not exist")
            }
            guard session.state == "active" else { return .failure(.sessionEnded(session.state)) }
            guard session.stepCount < maxSteps else { return .failure(.stepCap(maxSteps)) }
            try db.execute(
                sql: "UPDATE session SET stepCount = stepCount + 1, lastUsedAt = max(lastUsedAt, ?) WHERE id = ?",
                arguments: [step.createdAt.timeIntervalSince1970, step.sessionID])
            var inserted = step
            inserted.sequence = nil
            inserted.number = session.stepCount + 1
            try inserted.insert(db)
            return .success(try StepRecord.fetchOne(db, key: inserted.sequence) ?? inserted)
        }
    }

    /// Moves a queued step to running.
    public func markStepRunning(id: String, at: Date) throws(StoreError) {
        try write("mark step \(id) running") { db in
            try db.execute(
                sql: "UPDATE sessionStep SET status = 'running', startedAt = ? WHERE id = ? AND status = 'queued'",
                arguments: [at.timeIntervalSince1970, id])
        }
    }

    /// Records a step's end; false when it had already ended.
    @discardableResult
    public func finishStep(id: String, status: String, result: Data?, message: String?, at: Date) throws(StoreError) -> Bool {
        try write("finish step \(id)") { db in
            try db.execute(
                sql: """
                    UPDATE sessionStep SET status = ?, result = ?, message = ?, finishedAt = ?
                    WHERE id = ? AND status IN ('queued', 'running')
                    """,
                arguments: [status, result, message, at.timeIntervalSince1970, id])
            return db.changesCount > 0
        }
    }

    public func step(id: String) throws(StoreError) -> StepRecord? {
        try read("read step \(id)") { db in
            try StepRecord.filter(StepRecord.Columns.id == id).fetchOne(db)
        }
    }

    /// A session's steps in order; only the unfinished ones when `unfinished`.
    public func steps(sessionID: String, unfinished: Bool = false) throws(StoreError) -> [StepRecord] {
        try read("read the steps of session \(sessionID)") { db in
            var request = StepRecord.filter(StepRecord.Columns.sessionID == sessionID)
            if unfinished { request = request.filter(["queued", "running"].contains(StepRecord.Columns.status)) }
            return try request.order(StepRecord.Columns.number).fetchAll(db)
        }
    }

    /// At start-up: steps a dead daemon left queued or running become `lost`. Returns the sessions still active.
    public func recoverSessionsAfterRestart(message: String, at: Date) throws(StoreError) -> [SessionRecord] {
        try write("recover sessions after a restart") { db in
            try db.execute(
                sql: "UPDATE sessionStep SET status = 'lost', message = ?, finishedAt = ? WHERE status IN ('queued', 'running')",
                arguments: [message, at.timeIntervalSince1970])
            return try SessionRecord.filter(SessionRecord.Columns.state == "active").order(SessionRecord.Columns.sequence).fetchAll(db)
        }
    }

    /// Stores an agent job's steps (JSON) as they progress.
    public func setSteps(jobID: String, steps: Data) throws(StoreError) {
        try write("store the steps of job \(jobID)") { db in
            try db.execute(sql: "UPDATE job SET steps = ? WHERE id = ?", arguments: [steps, jobID])
        }
    }
}

/// Why a step could not start.
public enum StepRefusal: Error, Sendable, Equatable {
    /// The session is "ended" or "expired".
    case sessionEnded(String)
    /// It has run its maximum number of steps.
    case stepCap(Int)
}
