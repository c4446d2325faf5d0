import ModelKit

extension DotAttentionOp {
    /// Attention (keras/src/layers/attention/attention.py: operands as `_validate_inputs` takes
    /// them, the causal mask of `_calculate_score_mask`, scores and weighted sum as `call`
    /// computes them, which the engine follows): `use_scale`, `score_mode`, `use_causal_mask`.
    /// `return_attention_scores` is a call argument, which the model reader passes in as this
    /// config key.
    public init(config: LayerConfig) throws {
        var useScale: Bool
        var scoreMode: String
        var returnAttentionScores: Bool
        useScale = try config.bool("use_scale", default: false)
        scoreMode = try config.string("score_mode", default: "dot")
        guard ["dot", "concat"].contains(scoreMode) else {
            throw config.error("score_mode", "expected \"dot\" or \"concat\", found \"\(scoreMode)\"")
        }
        returnAttentionScores = try config.bool("return_attention_scores", default: false)
        self.init(useScale: useScale, scoreMode: scoreMode, returnAttentionScores: returnAttentionScores)
        useCausalMask = try config.bool("use_causal_mask", default: false)
    }
}
