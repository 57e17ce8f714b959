import GRDB

extension JobStore {
    /// The schema, one named step at a time. A migration, once released, never changes: add a new one.
    /// Dates are REAL seconds since 1970 (see `JobRecord`); ids are the engine's, `sequence` is the rowid.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-jobs") { db in
            // AUTOINCREMENT: a purged job's sequence is never handed out again, so list cursors stay monotonic.
            try db.execute(sql: """
                CREATE TABLE job (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    owner INTEGER NOT NULL,
                    language TEXT NOT NULL,
                    profile TEXT NOT NULL,
                    status TEXT NOT NULL,
                    request BLOB NOT NULL,
                    createdAt REAL NOT NULL,
                    startedAt REAL,
                    finishedAt REAL,
                    message TEXT,
                    compileResult BLOB,
                    result BLOB
                );
                CREATE INDEX job_owner_sequence ON job(owner, sequence);
                CREATE INDEX job_status_sequence ON job(status, sequence);
                CREATE INDEX job_language_sequence ON job(language, sequence);
                CREATE INDEX job_finishedAt ON job(finishedAt);
                """)
        }
        migrator.registerMigration("v1-job-events") { db in
            try db.execute(sql: """
                CREATE TABLE jobEvent (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                    jobID TEXT NOT NULL REFERENCES job(id) ON DELETE CASCADE,
                    kind TEXT NOT NULL,
                    data TEXT NOT NULL,
                    createdAt REAL NOT NULL
                );
                CREATE INDEX jobEvent_jobID_sequence ON jobEvent(jobID, sequence);
                """)
        }
        return migrator
    }
}
