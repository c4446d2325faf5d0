import ModelKit

extension ThresholdedReLUOp {
    public init(config: LayerConfig) throws {
        var theta: Double
        theta = try config.double("theta", default: 1.0)
        guard theta >= 0 else { throw config.error("theta", "cannot be negative, found \(theta)") }
        self.init(theta: theta)
    }
}
