/// Additive (Bahdanau-style) attention: scores `sum(scale · tanh(query + key))`, softmax over
/// the key positions, weighted sum of the values.
///
/// Called with `[query (batch, Tq, dim), value (batch, Tv, dv)]` or `[query, value, key]`;
/// output `(batch, Tq, dv)`; with `return_attention_scores` (passed in by the model reader as
/// the config key) a second output `(batch, Tq, Tv)`.
/// Weights: `scale (dim,)` when `use_scale` (the default).
/// MACs: counted like `Attention`: Tq·Tv·dim for the scores plus Tq·Tv·dv for the sum.
/// Upstream: keras/src/layers/attention/additive_attention.py.
public struct AdditiveAttention: LayerKind {
    public static let className = "AdditiveAttention"
    public static let category = LayerCategory.kernel
    public static let summary = "Lets each query position take a weighted average of the values, scoring each key with a small learned additive function; owns one scale vector."

    /// `use_scale`: learn a scale for the scores.
    public let useScale: Bool
    /// Call argument `return_attention_scores` (read from the config key the reader injects): adds the scores output.
    public var returnAttentionScores: Bool

    public init(config: LayerConfig) throws {
        useScale = try config.bool("use_scale", default: true)
        returnAttentionScores = try config.bool("return_attention_scores", default: false)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        try Attention.outputs(inputs, scores: returnAttentionScores, Self.className)
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        let (q, _, _) = try Attention.operands(inputs, Self.className)
        guard useScale else { return [] }
        return [WeightSpec("scale", [try AttentionOperands.featureSize(q, "query", Self.className)])]
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        Attention.attentionMACs(inputs, Self.className)
    }
}
