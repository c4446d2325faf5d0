/// A node that passes its one input through unchanged at inference: dropout and noise
/// layers (active only in training), random augmentations, an explicit identity. Its
/// category says which (regularization, preprocessing, other), for the counts and the
/// explanation. With `requiredRank` the input must have that rank (channel dropout over
/// images); with `passesAll` every input comes out as it went in (an identity called on
/// several tensors). No weights; MACs 0.
public struct PassthroughOp: Operator {
    public var category: LayerCategory
    public var requiredRank: Int?
    public var passesAll: Bool
    public var sourceClass: String

    public init(category: LayerCategory, requiredRank: Int? = nil, passesAll: Bool = false, sourceClass: String = "") {
        self.category = category
        self.requiredRank = requiredRank
        self.passesAll = passesAll
        self.sourceClass = sourceClass
    }

    public var family: String { "identity" }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        if passesAll {
            guard !inputs.isEmpty else { throw LayerError("\(sourceClass) needs an input, found none") }
            return inputs
        }
        let input = try Shapes.single(inputs, sourceClass)
        if let requiredRank { try Shapes.require(input, rank: requiredRank, sourceClass) }
        return [input]
    }
}
