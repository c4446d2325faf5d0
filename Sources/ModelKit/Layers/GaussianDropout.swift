/// Multiplies by Gaussian noise of mean 1 during training
/// (keras/src/layers/regularization/gaussian_dropout.py).
///
/// `rate` must be in [0, 1]. Output shape: the input's. No weights; MACs 0.
public struct GaussianDropout: LayerKind {
    public static let className = "GaussianDropout"
    public static let category = LayerCategory.regularization
    public static let summary = "During training, multiplies every value by random noise around 1; does nothing at inference; no weights."

    public let rate: Double

    public init(config: LayerConfig) throws {
        rate = try DropoutRate.read(config, default: 0)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try Shapes.single(inputs, Self.className)]
    }
}
