/// Returns its inputs unchanged (keras/src/layers/core/identity.py).
///
/// Output shapes: the inputs' (every tensor argument passes through). No weights; MACs 0.
public struct Identity: LayerKind {
    public static let className = "Identity"
    public static let category = LayerCategory.other
    public static let summary = "Passes its input through unchanged (a placeholder); no weights."

    public init(config: LayerConfig) throws {}

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        guard !inputs.isEmpty else { throw LayerError("Identity needs an input, found none") }
        return inputs
    }
}
