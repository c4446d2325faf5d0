/// Additive (Bahdanau-style) attention: scores `sum(scale · tanh(query + key))`, softmax over
/// the key positions, weighted sum of the values.
///
/// Called with `[query (batch, Tq, dim), value (batch, Tv, dv)]` or `[query, value, key]`;
/// output `(batch, Tq, dv)`; with `returnAttentionScores` a second output `(batch, Tq, Tv)`.
/// Weights: `scale (dim,)` when `useScale`.
/// MACs: counted like `DotAttentionOp`: Tq·Tv·dim for the scores plus Tq·Tv·dv for the sum.
public struct AdditiveAttentionOp: Operator {
    public var family: String { "additive_attention" }
    /// Each query position attends only to keys at or before it.
    public var useCausalMask: Bool = false
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .kernel }


    /// Learn a scale (one per feature) for the scores.
    public let useScale: Bool
    /// Adds the scores output (a call argument, which the reader resolves).
    public var returnAttentionScores: Bool


    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        try DotAttentionOp.outputs(inputs, scores: returnAttentionScores, sourceClass)
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        let (q, _, _) = try DotAttentionOp.operands(inputs, sourceClass)
        guard useScale else { return [] }
        return [WeightSpec("scale", [try AttentionOperands.featureSize(q, "query", sourceClass)])]
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        DotAttentionOp.attentionMACs(inputs, sourceClass)
    }

    /// Every property, as a reader sets them.
    public init(useScale: Bool, returnAttentionScores: Bool) {
        self.useScale = useScale
        self.returnAttentionScores = returnAttentionScores
    }
}
