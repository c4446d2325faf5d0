/// Thresholded rectified linear unit, a Keras 2 layer removed in Keras 3
/// (tf_keras/src/layers/activation/thresholded_relu.py).
///
/// `f(x) = x if x > theta else 0`. Output shape: the input's. No weights; MACs 0.
public struct ThresholdedReLU: LayerKind {
    public static let className = "ThresholdedReLU"
    public static let category = LayerCategory.activation
    public static let summary = "Keeps values above a threshold (theta) and sets the rest to zero; no weights."

    public let theta: Double

    public init(config: LayerConfig) throws {
        theta = try config.double("theta", default: 1.0)
        guard theta >= 0 else { throw config.error("theta", "cannot be negative, found \(theta)") }
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try Shapes.single(inputs, Self.className)]
    }
}
