/// Keras `Add`: the sum of its inputs, element by element
/// (keras/src/layers/merging/add.py, base_merge.py).
///
/// Inputs of compatible shapes (see `ElementwiseMerge`); output their broadcast shape.
/// No weights. MACs: 0 (element-wise merges are counted as free, by convention).
public struct Add: LayerKind {
    public static let className = "Add"
    public static let category = LayerCategory.merge
    public static let summary = "Adds its inputs element by element (as in a residual connection); no weights."

    public init(config: LayerConfig) throws {}

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        return [try ElementwiseMerge.outputShape(inputs, Self.className)]
    }
}
