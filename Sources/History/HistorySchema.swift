import GRDB

/// The history database's schema, as versioned migrations (GRDB records which were applied in
/// `grdb_migrations`). Add a migration for every change; never edit an applied one.
enum HistorySchema {
    /// Migration identifiers, oldest first.
    static let versions = ["v1", "v2"]

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    run_date TEXT NOT NULL,
                    strata_version TEXT NOT NULL,
                    shard TEXT,
                    started_at TEXT,
                    finished_at TEXT
                );
                -- A run's identity across shard databases (merge is idempotent by it).
                CREATE UNIQUE INDEX runs_identity ON runs(run_date, ifnull(shard, ''), strata_version);
                CREATE TABLE model_runs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    model_id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    file TEXT NOT NULL,
                    content_hash TEXT,
                    status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
                    params INTEGER,
                    trainable_params INTEGER,
                    non_trainable_params INTEGER,
                    macs INTEGER,
                    latency_median_ms REAL,
                    latency_p90_ms REAL,
                    latency_spread_ms REAL,
                    error TEXT,
                    UNIQUE (run_id, model_id)
                );
                CREATE INDEX model_runs_model ON model_runs(model_id, run_id);
                """)
        }
        // v2: what changed in a model whose file changed (strata diff against the previous version).
        migrator.registerMigration("v2") { db in
            try db.execute(sql: "ALTER TABLE model_runs ADD COLUMN structure_change TEXT")
        }
        return migrator
    }
}
