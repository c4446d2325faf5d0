/// Exponential linear unit (keras/src/layers/activations/elu.py).
///
/// Output shape: the input's. No weights; MACs 0.
public struct ELU: LayerKind {
    public static let className = "ELU"
    public static let category = LayerCategory.activation
    public static let summary = "Keeps positive values and bends negative ones smoothly towards -alpha; no weights."

    public let alpha: Double

    public init(config: LayerConfig) throws {
        alpha = try config.double("alpha", default: 1.0)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try Shapes.single(inputs, Self.className)]
    }
}
