/// Keras `Permute`: reorders the axes after the batch
/// (keras/src/layers/reshaping/permute.py).
///
/// `dims` is a permutation of `1...n` (the batch axis 0 stays first); output axis `i` is input
/// axis `dims[i-1]`. The input must have rank `n + 1`. No weights. MACs: 0.
public struct Permute: LayerKind {
    public static let className = "Permute"
    public static let category = LayerCategory.reshape
    public static let summary = "Swaps the order of the axes of each sample (for example time and features); no weights."

    /// 1-based input axes, in output order.
    public let dims: [Int]

    public init(config: LayerConfig) throws {
        guard let d = try config.intList("dims") else { throw config.error("dims", "missing key \"dims\"") }
        guard d.sorted() == Array(1...max(d.count, 1)), !d.isEmpty else {
            throw config.error("dims", "must be a permutation of 1...\(d.count) (the batch axis 0 cannot move), found \(d)")
        }
        dims = d
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, Self.className)
        try Shapes.require(input, rank: dims.count + 1, "Permute with dims \(dims)")
        return [TensorShape([input[0]] + dims.map { input[$0] })]
    }
}
