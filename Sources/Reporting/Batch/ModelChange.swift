import ModelKit

/// How a model changed since its previous run in the history (the nightly batch's deltas).
public struct ModelChange: Sendable, Hashable, Codable {
    /// Run date of the previous run of this model, nil when this is its first run.
    public var previousRunDate: String?
    public var previousParams: Int?
    public var previousMACs: Int?
    /// Previous run's latency median in milliseconds, when both runs were timed.
    public var previousLatencyMs: Double?
    /// True when the model file's content hash differs from the previous run's.
    public var contentChanged: Bool
    /// Latency medians (ms) of the last runs, oldest first, this run included when timed.
    public var latencyTrendMs: [Double]

    public init(previousRunDate: String? = nil, previousParams: Int? = nil, previousMACs: Int? = nil,
                previousLatencyMs: Double? = nil, contentChanged: Bool = false, latencyTrendMs: [Double] = []) {
        self.previousRunDate = previousRunDate
        self.previousParams = previousParams
        self.previousMACs = previousMACs
        self.previousLatencyMs = previousLatencyMs
        self.contentChanged = contentChanged
        self.latencyTrendMs = latencyTrendMs
    }

    /// The change since `previous`, the model's latest recorded run, dated `runDate`.
    /// `contentHash` is this run's hash of the model file: the content changed when both runs
    /// hashed the file and the hashes differ.
    public init(since previous: ModelRunSummary, runDate: String, contentHash: String?, latencyTrendMs: [Double]) {
        self.init(previousRunDate: runDate, previousParams: previous.params, previousMACs: previous.macs,
                  previousLatencyMs: previous.latencyMedianMs,
                  contentChanged: contentHash != nil && previous.contentHash != nil && contentHash != previous.contentHash,
                  latencyTrendMs: latencyTrendMs)
    }

    /// True when there is no previous run.
    public var isNew: Bool { previousRunDate == nil }
}
