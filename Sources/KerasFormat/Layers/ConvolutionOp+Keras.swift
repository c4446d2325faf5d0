import ModelKit

extension ConvolutionOp {
    /// Conv1D, Conv2D and Conv3D (`rank` 1, 2, 3; keras/src/layers/convolutional/base_conv.py):
    /// `filters`, `groups` (must divide `filters`), `use_bias`, `activation`, `lora_rank`
    /// (Keras 3; 0 or absent is off) and the window keys `ConvolutionGeometry(config:)` reads;
    /// causal padding only for Conv1D. The weight order is Keras's: `kernel`, `bias`, then the
    /// two LoRA factors.
    public init(config: LayerConfig, rank: Int, className: String) throws {
        var geometry: ConvolutionGeometry
        var filters: Int
        var groups: Int
        var useBias: Bool
        var activation: ActivationFunction
        var loraRank: Int?
        geometry = try ConvolutionGeometry(config: config, rank: rank, className: className, allowCausal: rank == 1)
        filters = try config.positiveInt("filters")
        groups = try config.int("groups", default: 1)
        guard groups > 0 else { throw config.error("groups", "must be positive, found \(groups)") }
        guard filters % groups == 0 else {
            throw config.error("groups", "filters (\(filters)) must be divisible by groups (\(groups))")
        }
        useBias = try config.bool("use_bias", default: true)
        activation = try Activations.function(config)
        let lora = try config.optionalInt("lora_rank")
        if let lora, lora < 0 { throw config.error("lora_rank", "must be positive, found \(lora)") }
        loraRank = (lora ?? 0) > 0 ? lora : nil
        self.init(geometry: geometry, filters: filters, groups: groups, useBias: useBias, activation: activation, loraRank: loraRank)
    }
}
