import ModelKit

extension ReLUOp {
    /// ReLU (keras/src/layers/activations/relu.py, whose `relu(x, negative_slope, max_value,
    /// threshold)` the engine computes): `max_value`, `negative_slope`, `threshold`, none
    /// negative.
    public init(config: LayerConfig) throws {
        var maxValue: Double?
        var negativeSlope: Double
        var threshold: Double
        if config.has("max_value") {
            let m = try config.double("max_value", default: 0)
            guard m >= 0 else { throw config.error("max_value", "cannot be negative, found \(m)") }
            maxValue = m
        } else {
            maxValue = nil
        }
        negativeSlope = try config.double("negative_slope", default: 0)
        guard negativeSlope >= 0 else { throw config.error("negative_slope", "cannot be negative, found \(negativeSlope)") }
        threshold = try config.double("threshold", default: 0)
        guard threshold >= 0 else { throw config.error("threshold", "cannot be negative, found \(threshold)") }
        self.init(maxValue: maxValue, negativeSlope: negativeSlope, threshold: threshold)
    }
}
