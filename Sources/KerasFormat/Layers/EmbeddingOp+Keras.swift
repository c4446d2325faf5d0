import ModelKit

extension EmbeddingOp {
    /// Embedding (keras/src/layers/core/embedding.py; the engine's lookup is its `call`, every
    /// id a whole number in 0..<input_dim): `input_dim`, `output_dim`, `lora_rank` (Keras 3),
    /// `mask_zero` and tf.keras's `input_length`, which fills in unknown sequence axes (Keras 3
    /// drops the key, so only Keras 2 configs check it). Keras 3 records the mask of an Embedding
    /// with `mask_zero` as a `not_equal` operation whose only consumers are `mask=` call
    /// arguments; the engine skips that node and refuses id 0 instead.
    public init(config: LayerConfig) throws {
        var inputDim: Int
        var outputDim: Int
        var inputLength: [Int?]?
        var loraRank: Int?
        var checksInputLength: Bool
        inputDim = try config.positiveInt("input_dim")
        outputDim = try config.positiveInt("output_dim")
        checksInputLength = config.isKeras2
        if config.has("input_length") {
            if let list = try? config.shape("input_length") {
                inputLength = list
            } else {
                inputLength = [try config.int("input_length")]
            }
        } else {
            inputLength = nil
        }
        if let r = try config.optionalInt("lora_rank") {
            guard r > 0 else { throw config.error("lora_rank", "must be positive, found \(r)") }
            loraRank = r
        } else {
            loraRank = nil
        }
        self.init(inputDim: inputDim, outputDim: outputDim, inputLength: inputLength, loraRank: loraRank, checksInputLength: checksInputLength)
        maskZero = config["mask_zero"]?.boolValue ?? false
    }
}
