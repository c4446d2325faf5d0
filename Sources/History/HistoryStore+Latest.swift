import GRDB

extension HistoryStore {
    /// The latest recorded run of `modelId` with its run, before a new run is recorded (the
    /// nightly batch asks this while it reports, and records the run at the end).
    public func latest(modelId: String) throws -> (model: ModelRunRecord, run: RunRecord)? {
        try guarded("cannot read the latest run of \(modelId)") {
            try queue.read { db in
                guard let model = try ModelRunRecord.fetchOne(db, sql: """
                    SELECT m.* FROM model_runs m JOIN runs r ON r.id = m.run_id
                    WHERE m.model_id = ? ORDER BY r.run_date DESC, r.id DESC LIMIT 1
                    """, arguments: [modelId]),
                      let runId = model.runId, let run = try RunRecord.fetchOne(db, key: runId) else { return nil }
                return (model, run)
            }
        }
    }

    /// Model ids of the latest recorded run date (all shards of that date together, or only
    /// `shard`'s when given), sorted; empty when nothing is recorded.
    public func modelsInLatestRun(shard: String? = nil) throws -> [String] {
        try guarded("cannot read the models of the latest run") {
            try queue.read { db in
                let filter = shard == nil ? "" : " WHERE shard IS ?"
                let args: StatementArguments = shard.map { [$0] } ?? []
                guard let date = try String.fetchOne(db, sql: "SELECT max(run_date) FROM runs" + filter, arguments: args) else { return [] }
                var modelArgs: StatementArguments = [date]
                if let shard { modelArgs += [shard] }
                return try String.fetchAll(db, sql: """
                    SELECT DISTINCT m.model_id FROM model_runs m JOIN runs r ON r.id = m.run_id
                    WHERE r.run_date = ?\(shard == nil ? "" : " AND r.shard IS ?") ORDER BY m.model_id
                    """, arguments: modelArgs)
            }
        }
    }
}
