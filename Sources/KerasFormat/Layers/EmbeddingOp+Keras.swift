import ModelKit

extension EmbeddingOp {
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
