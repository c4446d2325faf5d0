/// A 1D depthwise-separable convolution: a depthwise convolution, then a 1x1 convolution
/// mixing channels (keras/src/layers/convolutional/separable_conv1d.py, base_separable_conv.py).
///
/// Input `(batch, steps, channels)` (channels first with `data_format="channels_first"`); output has
/// `filters` channels.
/// Weights: `depthwise_kernel` `(*kernel_size, in_channels, depth_multiplier)`,
/// `pointwise_kernel` `(*ones, in_channels * depth_multiplier, filters)`, `bias` `(filters,)`.
/// MACs: depthwise part + pointwise part, at batch 1.
public struct SeparableConv1D: LayerKind {
    public static let className = "SeparableConv1D"
    public static let aliases = ["SeparableConvolution1D"]
    public static let category = LayerCategory.kernel
    public static let summary = "A cheaper convolution: filters each channel of the sequence separately, then mixes channels with a 1x1 convolution; owns a depthwise kernel, a pointwise kernel and a bias."

    public let convolution: SeparableConvolution

    public init(config: LayerConfig) throws {
        convolution = try SeparableConvolution(config: config, rank: 1, className: Self.className)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try convolution.outputShapes(inputs) }
    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] { try convolution.weights(inputs) }
    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? { convolution.macs(inputs, outputs) }
}
