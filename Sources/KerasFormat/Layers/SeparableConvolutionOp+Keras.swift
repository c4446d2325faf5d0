import ModelKit

extension SeparableConvolutionOp {
    /// SeparableConv1D and SeparableConv2D (keras/src/layers/convolutional/base_separable_conv.py):
    /// `filters`, `depth_multiplier` (default 1), `use_bias`, `activation` and the window keys;
    /// the weight order is Keras's (depthwise kernel, pointwise kernel, bias).
    public init(config: LayerConfig, rank: Int, className: String) throws {
        var geometry: ConvolutionGeometry
        var filters: Int
        var depthMultiplier: Int
        var useBias: Bool
        var activation: ActivationFunction
        // Keras 2 allowed causal padding for SeparableConv1D; Keras 3 does not.
        geometry = try ConvolutionGeometry(config: config, rank: rank, className: className, allowCausal: rank == 1 && config.isKeras2)
        filters = try config.positiveInt("filters")
        depthMultiplier = try config.has("depth_multiplier") ? config.positiveInt("depth_multiplier") : 1
        useBias = try config.bool("use_bias", default: true)
        activation = try Activations.function(config)
        self.init(geometry: geometry, filters: filters, depthMultiplier: depthMultiplier, useBias: useBias, activation: activation)
    }
}
