/// Keras `RepeatVector`: repeats a vector `n` times along a new time axis
/// (keras/src/layers/reshaping/repeat_vector.py).
///
/// Input `(batch, features)`; output `(batch, n, features)`. No weights. MACs: 0.
public struct RepeatVector: LayerKind {
    public static let className = "RepeatVector"
    public static let category = LayerCategory.reshape
    public static let summary = "Copies each input vector n times to make a sequence (often before a recurrent decoder); no weights."

    public let n: Int

    public init(config: LayerConfig) throws {
        n = try config.positiveInt("n")
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, Self.className)
        try Shapes.require(input, rank: 2, Self.className)
        return [TensorShape([input[0], n, input[1]])]
    }
}
