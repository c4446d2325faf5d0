/// Dot-product (Luong-style) attention over already-projected tensors: scores
/// `query · keyᵀ`, softmax over the key positions, weighted sum of the values.
///
/// Called with `[query (batch, Tq, dim), value (batch, Tv, dv)]` or `[query, value, key
/// (batch, Tv, dim)]`; output `(batch, Tq, dv)`. With `returnAttentionScores` a second output
/// holds the scores `(batch, Tq, Tv)`.
/// Weights: `scale ()` when `useScale`, then `concat_score_weight ()` when `scoreMode` is
/// `concat`.
/// MACs: the score product Tq·Tv·dim plus the weighted sum Tq·Tv·dv (the concat score mode is
/// counted like the dot product).
public struct DotAttentionOp: Operator {
    public var family: String { "dot_attention" }
    /// Each query position attends only to keys at or before it.
    public var useCausalMask: Bool = false
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .kernel }


    /// Learn a scale for the scores.
    public let useScale: Bool
    /// `dot`, or `concat` (scores `Σ tanh(q + k)` times a learned weight).
    public let scoreMode: String
    /// Adds the scores output (a call argument, which the reader resolves).
    public var returnAttentionScores: Bool


    /// Query, value and key (the value when absent), each of rank 2 or more.
    static func operands(_ inputs: [TensorShape], _ layer: String) throws -> (query: TensorShape, value: TensorShape, key: TensorShape) {
        let ops = try AttentionOperands(inputs, layer, callForm: "must be called on [query, value] or [query, value, key]", minimumRank: 2)
        return (ops.query, ops.value, ops.key)
    }

    /// Output `(*query[:-1], value[-1])`, and the scores `(*query[:-1], key[-2])` when asked.
    static func outputs(_ inputs: [TensorShape], scores: Bool, _ layer: String) throws -> [TensorShape] {
        let (q, v, k) = try operands(inputs, layer)
        let out = TensorShape(Array(q.dims.dropLast()) + [v.dims.last ?? nil])
        guard scores else { return [out] }
        return [out, TensorShape(Array(q.dims.dropLast()) + [k.dim(-2)])]
    }

    /// Tq·Tv·dim + Tq·Tv·dv at batch 1 (Tq is every query axis but batch and features).
    static func attentionMACs(_ inputs: [TensorShape], _ layer: String) -> Int? {
        guard let (q, v, k) = try? operands(inputs, layer),
              let nq = Shapes.product(Array(q.dims.dropFirst().dropLast())),
              let tv = k.dim(-2), let dim = q.dims.last ?? nil, let dv = v.dims.last ?? nil else { return nil }
        return checkedSum([checkedProduct([nq, tv, dim]), checkedProduct([nq, tv, dv])])
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        try DotAttentionOp.outputs(inputs, scores: returnAttentionScores, sourceClass)
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        _ = try DotAttentionOp.operands(inputs, sourceClass)
        var w: [WeightSpec] = []
        if useScale { w.append(WeightSpec("scale", [])) }
        if scoreMode == "concat" { w.append(WeightSpec("concat_score_weight", [])) }
        return w
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        DotAttentionOp.attentionMACs(inputs, sourceClass)
    }

    /// Every property, as a reader sets them.
    public init(useScale: Bool, scoreMode: String, returnAttentionScores: Bool) {
        self.useScale = useScale
        self.scoreMode = scoreMode
        self.returnAttentionScores = returnAttentionScores
    }
}
