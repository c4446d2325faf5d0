import ModelKit

extension DenseOp {
    /// Dense (keras/src/layers/core/dense.py): `units`, `use_bias`, `activation` and `lora_rank`
    /// (Keras 3; 0 or absent is off). The weight order is Keras's: `kernel`, `bias`, then the two
    /// LoRA factors.
    public init(config: LayerConfig) throws {
        var units: Int
        var useBias: Bool
        var activation: ActivationFunction
        var loraRank: Int?
        units = try config.positiveInt("units")
        useBias = try config.bool("use_bias", default: true)
        activation = try Activations.function(config)
        let lora = try config.optionalInt("lora_rank")
        if let lora, lora < 0 { throw config.error("lora_rank", "must be positive, found \(lora)") }
        loraRank = (lora ?? 0) > 0 ? lora : nil
        self.init(units: units, useBias: useBias, activation: activation, loraRank: loraRank)
    }
}
