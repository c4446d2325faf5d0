/// An element-wise merge of its inputs: sum, difference (exactly two inputs), product, mean,
/// maximum or minimum. Inputs of compatible shapes (see `ElementwiseMerge`); output their
/// broadcast shape. No weights. MACs: 0 (element-wise merges are counted as free, by
/// convention).
public struct MergeOp: Operator {
    public enum Kind: String, Sendable, Hashable, CaseIterable { case add, subtract, multiply, average, maximum, minimum }

    public var kind: Kind
    public var sourceClass: String

    public init(kind: Kind, sourceClass: String = "") {
        self.kind = kind
        self.sourceClass = sourceClass
    }

    public var family: String { kind.rawValue }
    public var category: LayerCategory { .merge }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        if kind == .subtract, inputs.count != 2 {
            throw LayerError("\(sourceClass) must be called on exactly 2 inputs, found \(inputs.count): \(inputs.map(\.description).joined(separator: ", "))")
        }
        return [try ElementwiseMerge.outputShape(inputs, sourceClass)]
    }
}
