import ModelKit

extension MultiHeadAttentionOp {
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
        hasSlidingWindow = config.has("sliding_window")
    }
}
