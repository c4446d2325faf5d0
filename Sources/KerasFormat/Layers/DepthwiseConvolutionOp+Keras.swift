import ModelKit

extension DepthwiseConvolutionOp {
    public init(config: LayerConfig, rank: Int, className: String) throws {
        var geometry: ConvolutionGeometry
        var depthMultiplier: Int
        var useBias: Bool
        var activation: ActivationFunction
        var kernelName: String
        // Keras 2 allowed "causal" only for Conv1D and SeparableConv1D; Keras 3 nowhere here.
        geometry = try ConvolutionGeometry(config: config, rank: rank, className: className)
        depthMultiplier = try config.has("depth_multiplier") ? config.positiveInt("depth_multiplier") : 1
        useBias = try config.bool("use_bias", default: true)
        activation = try Activations.function(config)
        kernelName = config.isKeras2 ? "depthwise_kernel" : "kernel"
        self.init(geometry: geometry, depthMultiplier: depthMultiplier, useBias: useBias, activation: activation, kernelName: kernelName)
    }
}
