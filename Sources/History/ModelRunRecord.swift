import GRDB

/// One model in one run (a row of `model_runs`). Figures a failed model could not give are nil;
/// latency figures are nil when the model was not timed (no forward pass), never made up.
public struct ModelRunRecord: Sendable, Hashable, Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "model_runs"

    /// Row id in this database (nil until recorded).
    public var id: Int64?
    /// The run this belongs to (set by `HistoryStore.record`).
    public var runId: Int64?
    /// Stable model id: the model file's path relative to its input folder.
    public var modelId: String
    /// The model's name as its file gives it.
    public var name: String
    /// The model file's path as the run saw it.
    public var file: String
    /// Lowercase hexadecimal SHA-256 of the model file's bytes (`SHA256.hexDigest(ofFileAt:)`),
    /// nil when the file could not be read.
    public var contentHash: String?
    public var status: ModelRunStatus
    /// Total parameters (trainable + non-trainable), Keras's count.
    public var params: Int?
    public var trainableParams: Int?
    public var nonTrainableParams: Int?
    /// Multiply-accumulates of one forward pass.
    public var macs: Int?
    /// Median forward-pass latency in milliseconds, nil when not timed.
    public var latencyMedianMs: Double?
    /// 90th percentile forward-pass latency in milliseconds, nil when not timed.
    public var latencyP90Ms: Double?
    /// Spread of the timed runs in milliseconds (as the timing reports it), nil when not timed.
    public var latencySpreadMs: Double?
    /// The error that made the model fail, nil when it was reported.
    public var error: String?

    /// A model-run not yet recorded.
    public init(id: Int64? = nil, runId: Int64? = nil, modelId: String, name: String, file: String,
                contentHash: String?, status: ModelRunStatus, params: Int? = nil, trainableParams: Int? = nil,
                nonTrainableParams: Int? = nil, macs: Int? = nil, latencyMedianMs: Double? = nil,
                latencyP90Ms: Double? = nil, latencySpreadMs: Double? = nil, error: String? = nil) {
        self.id = id
        self.runId = runId
        self.modelId = modelId
        self.name = name
        self.file = file
        self.contentHash = contentHash
        self.status = status
        self.params = params
        self.trainableParams = trainableParams
        self.nonTrainableParams = nonTrainableParams
        self.macs = macs
        self.latencyMedianMs = latencyMedianMs
        self.latencyP90Ms = latencyP90Ms
        self.latencySpreadMs = latencySpreadMs
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case id
        case runId = "run_id"
        case modelId = "model_id"
        case name, file
        case contentHash = "content_hash"
        case status, params
        case trainableParams = "trainable_params"
        case nonTrainableParams = "non_trainable_params"
        case macs
        case latencyMedianMs = "latency_median_ms"
        case latencyP90Ms = "latency_p90_ms"
        case latencySpreadMs = "latency_spread_ms"
        case error
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
