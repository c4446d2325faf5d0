/// Dot-product (Luong-style) attention over already-projected tensors: scores
/// `query · keyᵀ`, softmax over the key positions, weighted sum of the values.
///
/// Called with `[query (batch, Tq, dim), value (batch, Tv, dv)]` or `[query, value, key
/// (batch, Tv, dim)]`; output `(batch, Tq, dv)`. With `return_attention_scores` (a call
/// argument the model reader passes in as the config key `return_attention_scores`) a second
/// output holds the scores `(batch, Tq, Tv)`.
/// Weights: `scale ()` when `use_scale`, then `concat_score_weight ()` when
/// `score_mode` is `concat`.
/// MACs: the score product Tq·Tv·dim plus the weighted sum Tq·Tv·dv (the concat score mode is
/// counted like the dot product).
/// Upstream: keras/src/layers/attention/attention.py.
public struct Attention: LayerKind {
    public static let className = "Attention"
    public static let category = LayerCategory.kernel
    public static let summary = "Lets each query position take a weighted average of the values, weighted by how well the query matches each key; owns at most a learned scale."

    /// `use_scale`: learn a scale for the scores.
    public let useScale: Bool
    /// `score_mode`: `dot` or `concat`.
    public let scoreMode: String
    /// Call argument `return_attention_scores` (read from the config key the reader injects): adds the scores output.
    public var returnAttentionScores: Bool

    public init(config: LayerConfig) throws {
        useScale = try config.bool("use_scale", default: false)
        scoreMode = try config.string("score_mode", default: "dot")
        guard ["dot", "concat"].contains(scoreMode) else {
            throw config.error("score_mode", "expected \"dot\" or \"concat\", found \"\(scoreMode)\"")
        }
        returnAttentionScores = try config.bool("return_attention_scores", default: false)
    }

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
        try Attention.outputs(inputs, scores: returnAttentionScores, Self.className)
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        _ = try Attention.operands(inputs, Self.className)
        var w: [WeightSpec] = []
        if useScale { w.append(WeightSpec("scale", [])) }
        if scoreMode == "concat" { w.append(WeightSpec("concat_score_weight", [])) }
        return w
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        Attention.attentionMACs(inputs, Self.className)
    }
}
