/// Joins every axis after the batch into one.
///
/// Input `(batch, d1, ..., dn)`; output `(batch, d1 * ... * dn)`, with the second size
/// unknown when a dimension is unknown, `(batch, 1)` for a rank-1 input. A channels-first
/// input changes the order of the values, not the shape. No weights. MACs: 0.
public struct FlattenOp: Operator {
    public var family: String { "flatten" }
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .reshape }


    /// True when the input's channel axis comes before its spatial axes.
    public let channelsFirst: Bool


    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, sourceClass)
        guard input.rank >= 1 else { throw LayerError("\(sourceClass) expects an input of rank 1 or more, found \(input)") }
        let rest = input.dims.dropFirst()
        if rest.contains(where: { $0 == nil }) { return [TensorShape([input[0], nil])] }
        guard let n = checkedProduct(rest.compactMap { $0 }) else {
            throw LayerError("\(sourceClass) output size overflows for input \(input)")
        }
        return [TensorShape([input[0], n])]
    }

    /// Every property, as a reader sets them.
    public init(channelsFirst: Bool) {
        self.channelsFirst = channelsFirst
    }
}
