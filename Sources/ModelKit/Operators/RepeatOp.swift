/// Repeats a vector `n` times along a new time axis.
///
/// Input `(batch, features)`; output `(batch, n, features)`. No weights. MACs: 0.
public struct RepeatOp: Operator {
    public var family: String { "repeat" }
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .reshape }


    public let n: Int


    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, sourceClass)
        try Shapes.require(input, rank: 2, sourceClass)
        return [TensorShape([input[0], n, input[1]])]
    }

    /// Every property, as a reader sets them.
    public init(n: Int) {
        self.n = n
    }
}
