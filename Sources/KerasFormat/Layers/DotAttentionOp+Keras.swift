import ModelKit

extension DotAttentionOp {
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
