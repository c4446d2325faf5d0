/// Keras `Multiply`: the product of its inputs, element by element
/// (keras/src/layers/merging/multiply.py, base_merge.py).
///
/// Inputs of compatible shapes (see `ElementwiseMerge`); output their broadcast shape.
/// No weights. MACs: 0 (element-wise merges are counted as free, by convention).
public struct Multiply: LayerKind {
    public static let className = "Multiply"
    public static let category = LayerCategory.merge
    public static let summary = "Multiplies its inputs element by element (as in attention gates); no weights."

    public init(config: LayerConfig) throws {}

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        return [try ElementwiseMerge.outputShape(inputs, Self.className)]
    }
}
