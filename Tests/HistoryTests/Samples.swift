import History
import ModelKit

/// Hand-made runs and model-runs for the history tests.
enum Samples {
    static func run(_ date: String, shard: String? = nil, version: String = "0.1.0") -> RunRecord {
        RunRecord(runDate: date, strataVersion: version, shard: shard, startedAt: date, finishedAt: date)
    }

    static func model(_ id: String, params: Int = 1000, macs: Int = 50_000, latency: Double? = nil,
                      hash: String = "aa") -> ModelRunRecord {
        ModelRunRecord(summary: ModelRunSummary(
            modelId: id, modelName: id.replacingOccurrences(of: ".json", with: ""), file: "Examples/\(id)",
            contentHash: hash, status: .ok, params: params, trainableParams: params - 100,
            nonTrainableParams: 100, macs: macs, latencyMedianMs: latency,
            latencyP90Ms: latency.map { $0 + 1 }, latencySpreadMs: latency.map { _ in 0.5 }))
    }

    static func failed(_ id: String, error: String = "Examples/x.json: line 3: unexpected end") -> ModelRunRecord {
        ModelRunRecord(summary: .failed(modelId: id, file: "Examples/\(id)", contentHash: nil, error: error))
    }

    /// The record without its database ids, to compare what went in with what came out.
    static func withoutIds(_ record: ModelRunRecord) -> ModelRunRecord {
        var copy = record
        copy.id = nil
        copy.runId = nil
        return copy
    }
}
