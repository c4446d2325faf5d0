/// `regression:` in the configuration: what counts as a regression against the previous run.
public struct RegressionConfig: Sendable, Equatable {
    /// A model whose median latency rose by more than this many percent is a regression.
    public var latencyIncreasePercent: Double
    /// A change in a model's parameter count is a regression.
    public var failOnParamChange: Bool
    /// A model present in the previous run and missing now is a regression.
    public var failOnMissingModel: Bool

    /// Every key at its default.
    public init(latencyIncreasePercent: Double = 10, failOnParamChange: Bool = true, failOnMissingModel: Bool = true) {
        self.latencyIncreasePercent = latencyIncreasePercent
        self.failOnParamChange = failOnParamChange
        self.failOnMissingModel = failOnMissingModel
    }

    /// The defaults: 10 %, parameter changes and missing models are regressions.
    public static let defaults = RegressionConfig()
}
