import ModelKit

extension ThresholdedReLUOp {
    /// ThresholdedReLU, a Keras 2 layer removed in Keras 3
    /// (tf_keras/src/layers/activation/thresholded_relu.py): `theta`, default 1.
    public init(config: LayerConfig) throws {
        var theta: Double
        theta = try config.double("theta", default: 1.0)
        guard theta >= 0 else { throw config.error("theta", "cannot be negative, found \(theta)") }
        self.init(theta: theta)
    }
}
