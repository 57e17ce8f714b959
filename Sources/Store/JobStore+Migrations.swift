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
        migrator.registerMigration("v2-sessions") { db in
            try db.execute(sql: """
                CREATE TABLE session (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    owner INTEGER NOT NULL,
                    image TEXT NOT NULL,
                    profile TEXT NOT NULL,
                    state TEXT NOT NULL,
                    request BLOB NOT NULL,
                    slot INTEGER NOT NULL,
                    workspace TEXT NOT NULL,
                    createdAt REAL NOT NULL,
                    lastUsedAt REAL NOT NULL,
                    expiresAt REAL NOT NULL,
                    idleSeconds REAL NOT NULL,
                    endedAt REAL,
                    endReason TEXT,
                    stepCount INTEGER NOT NULL,
                    cpuTimeMs INTEGER NOT NULL,
                    caps BLOB NOT NULL
                );
                CREATE INDEX session_owner_sequence ON session(owner, sequence);
                CREATE INDEX session_state_sequence ON session(state, sequence);
                CREATE TABLE sessionStep (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    sessionID TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
                    number INTEGER NOT NULL,
                    command BLOB NOT NULL,
                    background INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    createdAt REAL NOT NULL,
                    startedAt REAL,
                    finishedAt REAL,
                    message TEXT,
                    result BLOB,
                    UNIQUE (sessionID, number)
                );
                CREATE INDEX sessionStep_status ON sessionStep(status);
                """)
        }
        // Agent jobs: a kind beside "code", and their steps' results (JSON, the engine's).
        migrator.registerMigration("v2-agent-jobs") { db in
            try db.execute(sql: """
                ALTER TABLE job ADD COLUMN kind TEXT NOT NULL DEFAULT 'code';
                ALTER TABLE job ADD COLUMN steps BLOB;
                """)
        }
        return migrator
    }
}
