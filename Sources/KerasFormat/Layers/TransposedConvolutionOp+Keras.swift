import ModelKit

extension TransposedConvolutionOp {
    /// Conv1DTranspose, Conv2DTranspose and Conv3DTranspose
    /// (keras/src/layers/convolutional/base_conv_transpose.py): `filters`, `output_padding`
    /// (each entry below its stride), `use_bias`, `activation` and the window keys; the weight
    /// order is Keras's (kernel, then bias).
    ///
    /// The output lengths are keras/src/ops/operation_utils.py's
    /// `compute_conv_transpose_output_shape`; the engine computes the values as Keras's
    /// TensorFlow backend does (`tf.nn.conv_transpose` to the length `deconv_output_length`
    /// gives, as the adjoint of a forward convolution with the layer's padding; `same` pads a
    /// total of max((in - 1) * stride + k_eff - out, 0), the smaller half before).
    public init(config: LayerConfig, rank: Int, className: String) throws {
        var geometry: ConvolutionGeometry
        var filters: Int
        var outputPadding: [Int]?
        var useBias: Bool
        var activation: ActivationFunction
        geometry = try ConvolutionGeometry(config: config, rank: rank, className: className)
        filters = try config.positiveInt("filters")
        if config.has("output_padding") {
            let op = try config.intTuple("output_padding", count: rank, minimum: 0)
            for (axis, (p, s)) in zip(op, geometry.strides).enumerated() where p >= s {
                throw config.error("output_padding", "must be less than strides on every axis; axis \(axis) has output_padding \(p) and strides \(s) (output_padding=\(op), strides=\(geometry.strides))")
            }
            outputPadding = op
        } else {
            outputPadding = nil
        }
        useBias = try config.bool("use_bias", default: true)
        activation = try Activations.function(config)
        self.init(geometry: geometry, filters: filters, outputPadding: outputPadding, useBias: useBias, activation: activation)
    }
}
