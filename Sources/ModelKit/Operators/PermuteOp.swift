/// Reorders the axes after the batch.
///
/// `dims` is a permutation of `1...n` (the batch axis 0 stays first); output axis `i` is input
/// axis `dims[i-1]`. The input must have rank `n + 1`. No weights. MACs: 0.
public struct PermuteOp: Operator {
    public var family: String { "permute" }
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .reshape }


    /// 1-based input axes, in output order.
    public let dims: [Int]


    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, sourceClass)
        try Shapes.require(input, rank: dims.count + 1, "\(sourceClass) with dims \(dims)")
        return [TensorShape([input[0]] + dims.map { input[$0] })]
    }

    /// Every property, as a reader sets them.
    public init(dims: [Int]) {
        self.dims = dims
    }
}
