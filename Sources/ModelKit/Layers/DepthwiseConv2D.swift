/// A 2D depthwise convolution: each input channel is filtered on its own
/// (keras/src/layers/convolutional/depthwise_conv2d.py, base_depthwise_conv.py).
///
/// Input `(batch, height, width, channels)` (channels first with `data_format="channels_first"`); output has
/// `in_channels * depth_multiplier` channels.
/// Weights: `kernel` (Keras 2: `depthwise_kernel`) `(*kernel_size, in_channels, depth_multiplier)`
/// and `bias` `(in_channels * depth_multiplier,)`.
/// MACs: output elements x kernel volume, at batch 1.
public struct DepthwiseConv2D: LayerKind {
    public static let className = "DepthwiseConv2D"
    public static let category = LayerCategory.kernel
    public static let summary = "Filters each channel of the image separately with its own small window, without mixing channels; owns a depthwise kernel and a bias."

    public let convolution: DepthwiseConvolution

    public init(config: LayerConfig) throws {
        convolution = try DepthwiseConvolution(config: config, rank: 2, className: Self.className)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try convolution.outputShapes(inputs) }
    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] { try convolution.weights(inputs) }
    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? { convolution.macs(inputs, outputs) }
}
