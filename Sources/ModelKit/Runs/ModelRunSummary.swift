/// One model's figures from one run of the batch: what a worker reports, the batch index
/// lists (`BatchIndex.Entry` wraps it) and the history records (`ModelRunRecord` wraps it,
/// one column per field). Figures a failed model could not give are nil; latency figures are
/// nil when the model was not timed, never made up.
///
/// Codable with snake_case keys, the history's column names where it has them.
public struct ModelRunSummary: Sendable, Hashable, Codable {
    /// Stable model id: the model file's path relative to its input folder
    /// (`vision/resnet8.onnx`).
    public var modelId: String
    /// The model's name as its file gives it (`resnet8`, or a default name the writing tool gave);
    /// the model id when the file could not be read.
    public var modelName: String
    /// The model file as the run names it.
    public var file: String
    /// Lowercase hexadecimal SHA-256 of the model file's bytes, nil when it could not be read.
    public var contentHash: String?
    public var status: ModelRunStatus
    /// Total parameters (trainable + non-trainable), counted as the model's format counts
    /// them (the analysis's `conventions`).
    public var params: Int?
    public var trainableParams: Int?
    public var nonTrainableParams: Int?
    /// Multiply-accumulates of one forward pass at batch 1.
    public var macs: Int?
    /// Median forward-pass latency in milliseconds, nil when not timed.
    public var latencyMedianMs: Double?
    /// 90th percentile forward-pass latency in milliseconds, nil when not timed.
    public var latencyP90Ms: Double?
    /// Spread of the timed runs in milliseconds (as the timing reports it), nil when not timed.
    public var latencySpreadMs: Double?
    /// The error that made the model fail, nil when it was reported.
    public var error: String?
    /// What changed in the model since its previous version, when its file changed and the
    /// two versions were compared (`1 added, 2 changed`, `no layer changed`); nil otherwise.
    public var structureChange: String?

    public init(modelId: String, modelName: String, file: String, contentHash: String?, status: ModelRunStatus,
                params: Int? = nil, trainableParams: Int? = nil, nonTrainableParams: Int? = nil, macs: Int? = nil,
                latencyMedianMs: Double? = nil, latencyP90Ms: Double? = nil, latencySpreadMs: Double? = nil,
                error: String? = nil) {
        self.modelId = modelId
        self.modelName = modelName
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

    /// A reported model: its totals from `analysis`, its latency from `timing` (nil: not timed).
    public init(modelId: String, file: String, contentHash: String?, analysis: ModelAnalysis, timing: ForwardTiming?) {
        let t = analysis.totals
        self.init(modelId: modelId, modelName: analysis.modelName, file: file, contentHash: contentHash, status: .ok,
                  params: t.params, trainableParams: t.trainableParams, nonTrainableParams: t.nonTrainableParams, macs: t.macs,
                  latencyMedianMs: timing?.medianMs, latencyP90Ms: timing?.p90Ms, latencySpreadMs: timing?.spreadMs)
    }

    /// A model that failed with `error`: no figures, named by its id.
    public static func failed(modelId: String, file: String, contentHash: String?, error: String) -> ModelRunSummary {
        ModelRunSummary(modelId: modelId, modelName: modelId, file: file, contentHash: contentHash, status: .failed, error: error)
    }

    enum CodingKeys: String, CodingKey {
        case modelId = "model_id"
        case modelName = "model_name"
        case file
        case contentHash = "content_hash"
        case status, params
        case trainableParams = "trainable_params"
        case nonTrainableParams = "non_trainable_params"
        case macs
        case latencyMedianMs = "latency_median_ms"
        case latencyP90Ms = "latency_p90_ms"
        case latencySpreadMs = "latency_spread_ms"
        case error
        case structureChange = "structure_change"
    }
}
