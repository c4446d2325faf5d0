/// Dropout that keeps the self-normalising property of selu networks
/// (keras/src/layers/regularization/alpha_dropout.py).
///
/// `rate` must be in [0, 1]. Output shape: the input's. No weights; MACs 0.
public struct AlphaDropout: LayerKind {
    public static let className = "AlphaDropout"
    public static let category = LayerCategory.regularization
    public static let summary = "During training, drops values while keeping the mean and variance that selu networks need; does nothing at inference; no weights."

    public let rate: Double

    public init(config: LayerConfig) throws {
        rate = try DropoutRate.read(config, default: 0)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try Shapes.single(inputs, Self.className)]
    }
}
