/// Keras `Average`: the mean of its inputs, element by element
/// (keras/src/layers/merging/average.py, base_merge.py).
///
/// Inputs of compatible shapes (see `ElementwiseMerge`); output their broadcast shape.
/// No weights. MACs: 0 (element-wise merges are counted as free, by convention).
public struct Average: LayerKind {
    public static let className = "Average"
    public static let category = LayerCategory.merge
    public static let summary = "Averages its inputs element by element; no weights."

    public init(config: LayerConfig) throws {}

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        return [try ElementwiseMerge.outputShape(inputs, Self.className)]
    }
}
