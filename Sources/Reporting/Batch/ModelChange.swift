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
    /// The previous run's content hash of the model file (its version in the history's
    /// version store), nil when unknown.
    public var previousContentHash: String?
    /// When the file changed: what `strata diff` found against the previous version
    /// (`1 added, 2 changed`, or `no layer changed`), nil when not compared.
    public var structure: String?
    /// The comparison's report in the model's report folder (`diff.md`, else `diff.pdf`).
    public var diffFile: String?

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
        previousContentHash = previous.contentHash
    }

    /// True when there is no previous run.
    public var isNew: Bool { previousRunDate == nil }
}
