import ModelKit

extension AdditiveAttentionOp {
    public init(config: LayerConfig) throws {
        var useScale: Bool
        var returnAttentionScores: Bool
        useScale = try config.bool("use_scale", default: true)
        returnAttentionScores = try config.bool("return_attention_scores", default: false)
        self.init(useScale: useScale, returnAttentionScores: returnAttentionScores)
        useCausalMask = try config.bool("use_causal_mask", default: false)
    }
}
