import ModelKit

extension DepthwiseConvolutionOp {
    /// DepthwiseConv1D and DepthwiseConv2D (keras/src/layers/convolutional/base_depthwise_conv.py):
    /// `depth_multiplier` (default 1), `use_bias`, `activation` and the window keys. The kernel
    /// is named `kernel` in Keras 3 and `depthwise_kernel` in Keras 2; the weight order is
    /// Keras's (kernel, then bias).
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
