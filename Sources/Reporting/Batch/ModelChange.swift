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

    /// True when there is no previous run.
    public var isNew: Bool { previousRunDate == nil }
}
