/// Adds zero-mean Gaussian noise of deviation `stddev` during training
/// (keras/src/layers/regularization/gaussian_noise.py).
///
/// Keras 3 requires `stddev` in [0, 1]; Keras 2 only that it is not negative.
/// Output shape: the input's. No weights; MACs 0.
public struct GaussianNoise: LayerKind {
    public static let className = "GaussianNoise"
    public static let category = LayerCategory.regularization
    public static let summary = "During training, adds random noise to every value; does nothing at inference; no weights."

    public let stddev: Double

    public init(config: LayerConfig) throws {
        guard config.has("stddev") else { throw config.error("stddev", "missing key \"stddev\"") }
        stddev = try config.double("stddev", default: 0)
        guard stddev >= 0, config.isKeras2 || stddev <= 1 else {
            throw config.error("stddev", "must be between 0 and 1, found \(stddev)")
        }
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try Shapes.single(inputs, Self.className)]
    }
}
