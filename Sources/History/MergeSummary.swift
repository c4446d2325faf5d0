/// What `HistoryStore.merge(from:)` did.
public struct MergeSummary: Sendable, Hashable {
    /// Runs copied from the other database.
    public var runsAdded: Int
    /// Runs of the other database this one already had (same date, shard and version): skipped
    /// with their model-runs.
    public var runsAlreadyPresent: Int
    /// Model-runs copied with the added runs.
    public var modelRunsAdded: Int

    public init(runsAdded: Int, runsAlreadyPresent: Int, modelRunsAdded: Int) {
        self.runsAdded = runsAdded
        self.runsAlreadyPresent = runsAlreadyPresent
        self.modelRunsAdded = modelRunsAdded
    }
}
