/// Keras `Minimum`: the minimum of its inputs, element by element
/// (keras/src/layers/merging/minimum.py, base_merge.py).
///
/// Inputs of compatible shapes (see `ElementwiseMerge`); output their broadcast shape.
/// No weights. MACs: 0 (element-wise merges are counted as free, by convention).
public struct Minimum: LayerKind {
    public static let className = "Minimum"
    public static let category = LayerCategory.merge
    public static let summary = "Keeps the smallest of its inputs at each position; no weights."

    public init(config: LayerConfig) throws {}

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        return [try ElementwiseMerge.outputShape(inputs, Self.className)]
    }
}
