/// A 2D convolution over images (keras/src/layers/convolutional/conv2d.py, base_conv.py).
///
/// Input `(batch, height, width, channels)` (channels first with `data_format="channels_first"`); output has
/// `filters` channels and the spatial size of `ConvolutionGeometry.convolutionOutput`.
/// Weights: `kernel` `(*kernel_size, in_channels / groups, filters)` and `bias` `(filters,)`.
/// MACs: output elements x kernel volume x in_channels / groups, at batch 1.
public struct Conv2D: LayerKind {
    public static let className = "Conv2D"
    public static let aliases = ["Convolution2D"]
    public static let category = LayerCategory.kernel
    public static let summary = "Slides small windows over an image and mixes each window's values into a chosen number of new features (the filters); owns a kernel and a bias."

    public let convolution: Convolution

    public init(config: LayerConfig) throws {
        convolution = try Convolution(config: config, rank: 2, className: Self.className)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try convolution.outputShapes(inputs) }
    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] { try convolution.weights(inputs) }
    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? { convolution.macs(inputs, outputs) }
}
