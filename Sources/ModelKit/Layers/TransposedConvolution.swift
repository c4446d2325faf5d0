/// The shared behaviour of Conv1DTranspose, Conv2DTranspose and Conv3DTranspose
/// (keras/src/layers/convolutional/base_conv_transpose.py): decoding, output shape, weights
/// and MACs.
///
/// Weights, in Keras's order: `kernel` `(*kernel_size, filters, in_channels)` (note: output
/// channels before input channels), then `bias` `(filters,)` when `use_bias`.
///
/// MACs: input elements x kernel volume x filters, at batch 1 (every input value is scattered
/// through the whole kernel into every output channel).
public struct TransposedConvolution: Sendable {
    public let geometry: ConvolutionGeometry
    public let filters: Int
    /// Extra length added on one side of each spatial axis, nil for Keras's default.
    public let outputPadding: [Int]?
    public let useBias: Bool
    public let activation: String?

    public init(config: LayerConfig, rank: Int, className: String) throws {
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
        activation = try Activations.validate(config)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, geometry.className)
        let spatial = try geometry.transposeOutput(input, outputPadding: outputPadding)
        return [geometry.shape(batch: input.dims[0], spatial: spatial, channels: filters)]
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        let input = try Shapes.single(inputs, geometry.className)
        let c = try geometry.channels(input)
        var out = [WeightSpec("kernel", geometry.kernelSize + [filters, c])]
        if useBias { out.append(WeightSpec("bias", [filters])) }
        return out
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        guard let input = inputs.first, let elements = input.elementCount(batch: 1),
              let volume = geometry.kernelVolume else { return nil }
        return checkedProduct([elements, volume, filters])
    }
}
