/// Keras `Maximum`: the maximum of its inputs, element by element
/// (keras/src/layers/merging/maximum.py, base_merge.py).
///
/// Inputs of compatible shapes (see `ElementwiseMerge`); output their broadcast shape.
/// No weights. MACs: 0 (element-wise merges are counted as free, by convention).
public struct Maximum: LayerKind {
    public static let className = "Maximum"
    public static let category = LayerCategory.merge
    public static let summary = "Keeps the largest of its inputs at each position; no weights."

    public init(config: LayerConfig) throws {}

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        return [try ElementwiseMerge.outputShape(inputs, Self.className)]
    }
}
