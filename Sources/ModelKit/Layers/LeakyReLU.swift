/// Leaky rectified linear unit (keras/src/layers/activations/leaky_relu.py).
///
/// The slope is `negative_slope` (Keras 3, default 0.3) or `alpha` (Keras 2, default 0.3).
/// Output shape: the input's. No weights; MACs 0.
public struct LeakyReLU: LayerKind {
    public static let className = "LeakyReLU"
    public static let category = LayerCategory.activation
    public static let summary = "Keeps positive values and scales negative ones by a small fixed slope; no weights."

    public let negativeSlope: Double

    public init(config: LayerConfig) throws {
        let key = config.has("negative_slope") || !config.has("alpha") ? "negative_slope" : "alpha"
        negativeSlope = try config.double(key, default: 0.3)
        guard negativeSlope >= 0 else { throw config.error(key, "cannot be negative, found \(negativeSlope)") }
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try Shapes.single(inputs, Self.className)]
    }
}
