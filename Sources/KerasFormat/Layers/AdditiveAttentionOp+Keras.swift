import ModelKit

extension AdditiveAttentionOp {
    /// AdditiveAttention (keras/src/layers/attention/additive_attention.py, which the engine
    /// follows): `use_scale` (default true), `use_causal_mask`; `return_attention_scores` is a
    /// call argument, which the model reader passes in as this config key.
    public init(config: LayerConfig) throws {
        var useScale: Bool
        var returnAttentionScores: Bool
        useScale = try config.bool("use_scale", default: true)
        returnAttentionScores = try config.bool("return_attention_scores", default: false)
        self.init(useScale: useScale, returnAttentionScores: returnAttentionScores)
        useCausalMask = try config.bool("use_causal_mask", default: false)
    }
}
