/// A 1D convolution over sequences (text, audio, time series) (keras/src/layers/convolutional/conv1d.py, base_conv.py).
///
/// Input `(batch, steps, channels)` (channels first with `data_format="channels_first"`); output has
/// `filters` channels and the spatial size of `ConvolutionGeometry.convolutionOutput`.
/// `padding="causal"` pads on the left only and keeps the length, like "same".
/// Weights: `kernel` `(*kernel_size, in_channels / groups, filters)` and `bias` `(filters,)`.
/// MACs: output elements x kernel volume x in_channels / groups, at batch 1.
public struct Conv1D: LayerKind {
    public static let className = "Conv1D"
    public static let aliases = ["Convolution1D"]
    public static let category = LayerCategory.kernel
    public static let summary = "Slides a window along a sequence and mixes each window's values into a chosen number of new features (the filters); owns a kernel and a bias."

    public let convolution: Convolution

    public init(config: LayerConfig) throws {
        convolution = try Convolution(config: config, rank: 1, className: Self.className)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try convolution.outputShapes(inputs) }
    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] { try convolution.weights(inputs) }
    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? { convolution.macs(inputs, outputs) }
}
