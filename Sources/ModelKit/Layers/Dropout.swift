/// Randomly zeroes a fraction `rate` of the values during training
/// (keras/src/layers/regularization/dropout.py).
///
/// `rate` must be in [0, 1]; `noise_shape` entries must be positive or null.
/// Output shape: the input's. No weights; MACs 0.
public struct Dropout: LayerKind {
    public static let className = "Dropout"
    public static let category = LayerCategory.regularization
    public static let summary = "During training, sets a random fraction of values to zero to fight overfitting; does nothing at inference; no weights."

    public let rate: Double
    public let noiseShape: [Int?]?

    public init(config: LayerConfig) throws {
        rate = try DropoutRate.read(config, default: 0.5)
        noiseShape = try config.shape("noise_shape")
        if let bad = noiseShape?.first(where: { $0 != nil && $0! <= 0 }) {
            throw config.error("noise_shape", "dimensions must be positive or null, found \(bad!)")
        }
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try Shapes.single(inputs, Self.className)]
    }
}
