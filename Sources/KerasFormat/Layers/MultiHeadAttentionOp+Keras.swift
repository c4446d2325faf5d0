import ModelKit

extension MultiHeadAttentionOp {
    /// MultiHeadAttention (keras/src/layers/attention/multi_head_attention.py; operands as `call`
    /// takes them, attention axes as `_build_attention(rank)` with rank = value rank + 1, negative
    /// axes counting from the input rank; the engine follows `call`, with the causal mask of
    /// `_compute_causal_mask`): `num_heads`, `key_dim`, `value_dim` (default `key_dim`),
    /// `use_bias`, `use_gate` (Keras 3), `output_shape`, `attention_axes`, `use_causal_mask` and
    /// `sliding_window` (not run). Each projection is an EinsumDense sublayer, its weights in
    /// Keras's order. `return_attention_scores` is a call argument, which the model reader passes
    /// in as this config key; Keras 3 reports the scores as `(batch, num_heads, Tq, Tq)` (its
    /// `compute_output_spec` reuses the query length), tf.keras as the real
    /// `(batch, num_heads, Tq, Tv)`, keeping the attention axes.
    public init(config: LayerConfig) throws {
        var numHeads: Int
        var keyDim: Int
        var valueDim: Int
        var useBias: Bool
        var useGate: Bool
        var outputShape: [Int]?
        var attentionAxes: [Int]?
        var returnAttentionScores: Bool
        var scoresKeepAttentionAxes: Bool
        numHeads = try config.positiveInt("num_heads")
        keyDim = try config.positiveInt("key_dim")
        if let v = try config.optionalInt("value_dim") {
            guard v > 0 else { throw config.error("value_dim", "must be positive, found \(v)") }
            valueDim = v
        } else {
            valueDim = keyDim
        }
        useBias = try config.bool("use_bias", default: true)
        useGate = try config.bool("use_gate", default: false)
        if let out = try config.intList("output_shape"), !out.isEmpty {
            if let bad = out.first(where: { $0 <= 0 }) {
                throw config.error("output_shape", "sizes must be positive, found \(bad)")
            }
            outputShape = out
        } else {
            outputShape = nil
        }
        attentionAxes = try config.intList("attention_axes")
        returnAttentionScores = try config.bool("return_attention_scores", default: false)
        scoresKeepAttentionAxes = config.isKeras2
        self.init(numHeads: numHeads, keyDim: keyDim, valueDim: valueDim, useBias: useBias, useGate: useGate, outputShape: outputShape, attentionAxes: attentionAxes, returnAttentionScores: returnAttentionScores, scoresKeepAttentionAxes: scoresKeepAttentionAxes)
        useCausalMask = try config.bool("use_causal_mask", default: false)
        slidingWindow = try Self.slidingWindow(config)
    }

    /// GroupedQueryAttention (keras/src/layers/attention/grouped_query_attention.py, exported
    /// as `GroupQueryAttention`): `head_dim` for query, key and value, `num_query_heads`,
    /// `num_key_value_heads` (dividing it), `use_bias`, `use_gate`, `sliding_window` and the
    /// call's `use_causal_mask`; the output has the query's shape and the attention runs over
    /// axis 1. Its scores are `(batch, num_query_heads, Tq, Tv)`.
    public init(groupedQueryConfig config: LayerConfig) throws {
        let headDim = try config.positiveInt("head_dim")
        let queryHeads = try config.positiveInt("num_query_heads")
        let kvHeads = try config.positiveInt("num_key_value_heads")
        guard queryHeads % kvHeads == 0 else {
            throw config.error("num_key_value_heads", "must divide num_query_heads (\(queryHeads)), found \(kvHeads)")
        }
        self.init(numHeads: queryHeads, keyDim: headDim, valueDim: headDim, useBias: try config.bool("use_bias", default: true),
                  useGate: try config.bool("use_gate", default: false), outputShape: nil, attentionAxes: [1],
                  returnAttentionScores: try config.bool("return_attention_scores", default: false), scoresKeepAttentionAxes: true)
        keyValueHeads = kvHeads
        useCausalMask = try config.bool("use_causal_mask", default: false)
        slidingWindow = try Self.slidingWindow(config)
    }

    /// `sliding_window`: absent or null for full attention, else a positive integer.
    static func slidingWindow(_ config: LayerConfig) throws -> Int? {
        guard let w = try config.optionalInt("sliding_window") else { return nil }
        guard w > 0 else { throw config.error("sliding_window", "must be a positive integer, found \(w)") }
        return w
    }
}
