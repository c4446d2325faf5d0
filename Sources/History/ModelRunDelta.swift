import ModelKit

/// The change of one model between a previous run and this one. A figure is nil when either
/// side lacks it (a failed run has no parameter count; an untimed run has no latency).
public struct ModelRunDelta: Sendable, Hashable {
    /// This run's parameters minus the previous run's.
    public var params: Int?
    public var trainableParams: Int?
    public var nonTrainableParams: Int?
    public var macs: Int?
    /// This run's median latency minus the previous run's, in milliseconds.
    public var latencyMedianMs: Double?
    /// The median latency's change in percent of the previous median (nil when the previous
    /// median is zero or either run was not timed).
    public var latencyMedianPercent: Double?
    /// True when both runs hashed the file and the hashes differ.
    public var contentChanged: Bool
    /// The previous run's status (a model may recover or start failing).
    public var previousStatus: ModelRunStatus

    /// The change from `previous` to `current`.
    public init(current: ModelRunRecord, previous: ModelRunRecord) {
        func minus(_ a: Int?, _ b: Int?) -> Int? {
            guard let a, let b else { return nil }
            return a - b
        }
        params = minus(current.params, previous.params)
        trainableParams = minus(current.trainableParams, previous.trainableParams)
        nonTrainableParams = minus(current.nonTrainableParams, previous.nonTrainableParams)
        macs = minus(current.macs, previous.macs)
        if let now = current.latencyMedianMs, let before = previous.latencyMedianMs {
            latencyMedianMs = now - before
            latencyMedianPercent = before > 0 ? (now - before) / before * 100 : nil
        } else {
            latencyMedianMs = nil
            latencyMedianPercent = nil
        }
        if let now = current.contentHash, let before = previous.contentHash {
            contentChanged = now != before
        } else {
            contentChanged = false
        }
        previousStatus = previous.status
    }
}
