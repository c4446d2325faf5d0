/// A transposed convolution over 1, 2 or 3 spatial axes (the adjoint of a forward
/// convolution, used as learned upsampling).
///
/// Output: the spatial sizes `ConvolutionGeometry.transposeOutput` gives, and `filters`
/// channels. Weights, in this order: `kernel` `(*kernelSize, filters, in_channels)` (note:
/// output channels before input channels), then `bias` `(filters,)` when `useBias`.
///
/// MACs: input elements x kernel volume x filters, at batch 1 (every input value is scattered
/// through the whole kernel into every output channel).
public struct TransposedConvolutionOp: Sendable {
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""

    public let geometry: ConvolutionGeometry
    public let filters: Int
    /// Extra length added on one side of each spatial axis, nil for none given (the padding
    /// mode alone decides the length).
    public let outputPadding: [Int]?
    public let useBias: Bool
    public let activation: ActivationFunction


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

    /// Every property, as a reader sets them.
    public init(geometry: ConvolutionGeometry, filters: Int, outputPadding: [Int]?, useBias: Bool, activation: ActivationFunction) {
        self.geometry = geometry
        self.filters = filters
        self.outputPadding = outputPadding
        self.useBias = useBias
        self.activation = activation
    }
}

extension TransposedConvolutionOp: Operator {
    public var family: String { "transposed_convolution" }
    public var category: LayerCategory { .kernel }
}
