import ModelKit

extension ConvolutionGeometry {
    /// Decodes `kernel_size`, `strides`, `dilation_rate`, `padding` and `data_format`
    /// (`channels_first` sets `channelsFirst`). Zero or negative sizes, an unsupported padding
    /// and strides > 1 with dilation > 1 (which Keras rejects) are errors naming the key and
    /// value.
    ///
    /// The output arithmetic of `ConvolutionGeometry` is Keras's: keras/src/ops/operation_utils.py
    /// (`compute_conv_output_shape` for forward convolutions) and
    /// keras/src/backend/common/backend_utils.py (`_get_output_shape_given_tf_padding`, the
    /// TF-padding rule Keras applies to transposed convolutions). `Shapes.windowOutput` and
    /// `Shapes.transposeOutput` follow `compute_conv_output_shape` /
    /// `compute_pooling_output_shape` and `compute_conv_transpose_output_shape` of the same file.
    public init(config: LayerConfig, rank: Int, className: String, allowCausal: Bool = false) throws {
        var kernelSize: [Int]
        var strides: [Int]
        var dilation: [Int]
        var padding: String
        var channelsFirst: Bool
        let ones = Array(repeating: 1, count: rank)
        kernelSize = try config.intTuple("kernel_size", count: rank)
        strides = try config.intTuple("strides", count: rank, default: ones)
        dilation = try config.intTuple("dilation_rate", count: rank, default: ones)
        let p = try config.padding()
        switch p {
        case "valid", "same": break
        case "causal" where allowCausal: break
        default:
            throw config.error("padding", "\(className) accepts padding \(allowCausal ? "\"valid\", \"same\" or \"causal\"" : "\"valid\" or \"same\""), found \"\(p)\"")
        }
        padding = p
        channelsFirst = try config.channelsFirst()
        if strides.contains(where: { $0 > 1 }) && dilation.contains(where: { $0 > 1 }) {
            throw config.error("strides", "strides > 1 cannot be combined with dilation_rate > 1 (Keras rejects it), found strides=\(strides) and dilation_rate=\(dilation)")
        }
        self.init(rank: rank, kernelSize: kernelSize, strides: strides, dilation: dilation, padding: padding, channelsFirst: channelsFirst, className: className)
    }
}
