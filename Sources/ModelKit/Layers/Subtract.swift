/// Keras `Subtract`: the difference of exactly two inputs of its inputs, element by element
/// (keras/src/layers/merging/subtract.py, base_merge.py).
///
/// Inputs of compatible shapes (see `ElementwiseMerge`); output their broadcast shape.
/// No weights. MACs: 0 (element-wise merges are counted as free, by convention).
public struct Subtract: LayerKind {
    public static let className = "Subtract"
    public static let category = LayerCategory.merge
    public static let summary = "Subtracts the second input from the first, element by element; no weights."

    public init(config: LayerConfig) throws {}

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        guard inputs.count == 2 else {
            throw LayerError("Subtract must be called on exactly 2 inputs, found \(inputs.count): \(inputs.map(\.description).joined(separator: ", "))")
        }
        return [try ElementwiseMerge.outputShape(inputs, Self.className)]
    }
}
