/// A 1D transposed convolution, the learned upsampling used in decoders
/// (keras/src/layers/convolutional/conv1d_transpose.py, base_conv_transpose.py).
///
/// Input `(batch, steps, channels)` (channels first with `data_format="channels_first"`); output has
/// `filters` channels and spatial size `ConvolutionGeometry.transposeOutput` (`L * strides`
/// with "same" padding and no `output_padding`).
/// Weights: `kernel` `(*kernel_size, filters, in_channels)` and `bias` `(filters,)`.
/// MACs: input elements x kernel volume x filters, at batch 1.
public struct Conv1DTranspose: LayerKind {
    public static let className = "Conv1DTranspose"
    public static let aliases = ["Convolution1DTranspose"]
    public static let category = LayerCategory.kernel
    public static let summary = "Runs a convolution backwards to make a larger sequence from a smaller one (learned upsampling); owns a kernel and a bias."

    public let convolution: TransposedConvolution

    public init(config: LayerConfig) throws {
        convolution = try TransposedConvolution(config: config, rank: 1, className: Self.className)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try convolution.outputShapes(inputs) }
    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] { try convolution.weights(inputs) }
    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? { convolution.macs(inputs, outputs) }
}
