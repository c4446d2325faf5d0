import Foundation
import History
import ModelKit
import Testing

/// A history written before model-runs were `ModelRunSummary`s opens and reads the same:
/// the table and its columns are those of schema v1, written here by the sqlite3 shell as
/// that version's migration wrote them.
@Suite(.enabled(if: SQLiteShell.available, "needs the sqlite3 shell"))
struct HistoryCompatibilityTests {
    /// Schema v1 as its migration created it, the migration recorded, and two model-runs.
    static let v1 = """
        CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
        INSERT INTO grdb_migrations VALUES ('v1');
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_date TEXT NOT NULL,
            strata_version TEXT NOT NULL,
            shard TEXT,
            started_at TEXT,
            finished_at TEXT
        );
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
        INSERT INTO runs VALUES (1, '2026-01-01T00:00:00Z', '0.1.0', NULL, NULL, NULL);
        INSERT INTO model_runs VALUES (1, 1, 'vision/resnet8.keras', 'functional', 'vision/resnet8.keras', 'ab12', 'ok',
            78666, 78186, 480, 12575360, 4.25, 5.5, 0.75, NULL);
        INSERT INTO model_runs VALUES (2, 1, 'broken.json', 'broken.json', 'broken.json', NULL, 'failed',
            NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'broken.json: line 3: unexpected end');
        """

    @Test func aVersionOneHistoryReadsIntoSummaries() throws {
        let folder = TempFolder("v1")
        let path = folder.path("history.sqlite")
        try SQLiteShell.run(path, Self.v1)
        let opened = try HistoryStore.open(path: path)
        #expect(opened.warning == nil)
        let models = try opened.store.modelRuns(runId: 1)
        #expect(models.map(\.summary) == [
            .failed(modelId: "broken.json", file: "broken.json", contentHash: nil, error: "broken.json: line 3: unexpected end"),
            ModelRunSummary(modelId: "vision/resnet8.keras", modelName: "functional", file: "vision/resnet8.keras", contentHash: "ab12",
                            status: .ok, params: 78_666, trainableParams: 78_186, nonTrainableParams: 480, macs: 12_575_360,
                            latencyMedianMs: 4.25, latencyP90Ms: 5.5, latencySpreadMs: 0.75),
        ])
        #expect(models.map(\.id) == [2, 1])
        #expect(models.allSatisfy { $0.runId == 1 })

        // A new run goes into the same tables and reads back next to the old one.
        var now = try #require(models.last).summary
        now.params = 78_700
        now.latencyMedianMs = 4.5
        let run = try opened.store.record(run: RunRecord(runDate: "2026-01-02T00:00:00Z", strataVersion: "0.2.0"),
                                          models: [ModelRunRecord(summary: now)])
        let previous = try #require(try opened.store.previous(modelId: "vision/resnet8.keras", before: run))
        #expect(previous.params == 78_666)
        #expect(try opened.store.latencyTrend(modelId: "vision/resnet8.keras", limit: 5) == [4.25, 4.5])
        #expect(try HistoryStore.open(path: path).store.modelRuns(runId: run).map(\.summary) == [now])
    }

    /// A shard database written by an older Strata (schema v1, no `structure_change`) merges
    /// into a history of schema v2 and is only read; a v2 history records what changed.
    @Test func aVersionOneShardMergesIntoAVersionTwoHistory() throws {
        let folder = TempFolder("v1-shard")
        let shard = folder.path("shard.sqlite")
        try SQLiteShell.run(shard, Self.v1)
        let before = FileManager.default.contents(atPath: shard)
        let merged = try HistoryStore.open(path: folder.path("merged.sqlite")).store
        let summary = try merged.merge(from: shard)
        #expect(summary.runsAdded == 1 && summary.modelRunsAdded == 2)
        #expect(FileManager.default.contents(atPath: shard) == before)
        let latest = try #require(try merged.latest(modelId: "vision/resnet8.keras"))
        #expect(latest.model.params == 78_666 && latest.model.summary.structureChange == nil)

        var changed = latest.model.summary
        changed.structureChange = "1 added, 2 changed"
        _ = try merged.record(run: RunRecord(runDate: "2026-01-02T00:00:00Z", strataVersion: "0.2.0"), models: [ModelRunRecord(summary: changed)])
        #expect(try merged.latest(modelId: "vision/resnet8.keras")?.model.summary.structureChange == "1 added, 2 changed")
    }
}
