import GRDB
import ModelKit

/// One model in one run (a row of `model_runs`): the run's `ModelRunSummary` with the row's
/// ids. Its fields read as the record's own (`record.params`). The columns are the schema's
/// since v1: `model_id`, `name` (the summary's `modelName`), `file`, `content_hash`, `status`,
/// `params`, `trainable_params`, `non_trainable_params`, `macs`, `latency_median_ms`,
/// `latency_p90_ms`, `latency_spread_ms`, `error`.
@dynamicMemberLookup
public struct ModelRunRecord: Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "model_runs"

    /// Row id in this database (nil until recorded).
    public var id: Int64?
    /// The run this belongs to (set by `HistoryStore.record`).
    public var runId: Int64?
    /// The model's figures in this run.
    public var summary: ModelRunSummary

    /// A model-run not yet recorded.
    public init(id: Int64? = nil, runId: Int64? = nil, summary: ModelRunSummary) {
        self.id = id
        self.runId = runId
        self.summary = summary
    }

    public subscript<Value>(dynamicMember field: WritableKeyPath<ModelRunSummary, Value>) -> Value {
        get { summary[keyPath: field] }
        set { summary[keyPath: field] = newValue }
    }

    /// The columns of `model_runs`.
    enum ColumnName {
        static let id = "id", runId = "run_id", modelId = "model_id", name = "name", file = "file"
        static let contentHash = "content_hash", status = "status", params = "params"
        static let trainableParams = "trainable_params", nonTrainableParams = "non_trainable_params", macs = "macs"
        static let latencyMedianMs = "latency_median_ms", latencyP90Ms = "latency_p90_ms", latencySpreadMs = "latency_spread_ms"
        static let error = "error", structureChange = "structure_change"
    }

    public init(row: Row) throws {
        let raw: String = try row.decode(forColumn: ColumnName.status)
        guard let status = ModelRunStatus(rawValue: raw) else {
            throw StrataError(place: "model_runs.status", "unknown status \"\(raw)\"; expected \(ModelRunStatus.allCases.map(\.rawValue).joined(separator: " or "))")
        }
        id = try row.decode(forColumn: ColumnName.id)
        runId = try row.decode(forColumn: ColumnName.runId)
        summary = ModelRunSummary(
            modelId: try row.decode(forColumn: ColumnName.modelId), modelName: try row.decode(forColumn: ColumnName.name),
            file: try row.decode(forColumn: ColumnName.file), contentHash: try row.decode(forColumn: ColumnName.contentHash),
            status: status, params: try row.decode(forColumn: ColumnName.params),
            trainableParams: try row.decode(forColumn: ColumnName.trainableParams),
            nonTrainableParams: try row.decode(forColumn: ColumnName.nonTrainableParams), macs: try row.decode(forColumn: ColumnName.macs),
            latencyMedianMs: try row.decode(forColumn: ColumnName.latencyMedianMs),
            latencyP90Ms: try row.decode(forColumn: ColumnName.latencyP90Ms),
            latencySpreadMs: try row.decode(forColumn: ColumnName.latencySpreadMs), error: try row.decode(forColumn: ColumnName.error))
        // A database of schema v1 (a shard written by an older Strata, being merged) has no such column.
        summary.structureChange = row.hasColumn(ColumnName.structureChange) ? try row.decode(forColumn: ColumnName.structureChange) : nil
    }

    public func encode(to container: inout PersistenceContainer) throws {
        let s = summary
        container[ColumnName.id] = id
        container[ColumnName.runId] = runId
        container[ColumnName.modelId] = s.modelId
        container[ColumnName.name] = s.modelName
        container[ColumnName.file] = s.file
        container[ColumnName.contentHash] = s.contentHash
        container[ColumnName.status] = s.status.rawValue
        container[ColumnName.params] = s.params
        container[ColumnName.trainableParams] = s.trainableParams
        container[ColumnName.nonTrainableParams] = s.nonTrainableParams
        container[ColumnName.macs] = s.macs
        container[ColumnName.latencyMedianMs] = s.latencyMedianMs
        container[ColumnName.latencyP90Ms] = s.latencyP90Ms
        container[ColumnName.latencySpreadMs] = s.latencySpreadMs
        container[ColumnName.error] = s.error
        container[ColumnName.structureChange] = s.structureChange
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
