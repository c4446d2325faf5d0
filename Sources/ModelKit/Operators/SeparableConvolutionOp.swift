/// A separable convolution over 1 or 2 spatial axes: a depthwise convolution (each channel on
/// its own, `depthMultiplier` kernels per channel) followed by a 1x1 pointwise convolution to
/// `filters` channels.
///
/// Weights, in this order: `depthwise_kernel` `(*kernelSize, in_channels, depthMultiplier)`,
/// `pointwise_kernel` `(*[1] * rank, in_channels * depthMultiplier, filters)`, then `bias`
/// `(filters,)` when `useBias`.
///
/// MACs at batch 1: depthwise part (output positions x in_channels x depthMultiplier x kernel
/// volume) + pointwise part (output positions x in_channels x depthMultiplier x filters).
public struct SeparableConvolutionOp: Sendable {
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""

    public let geometry: ConvolutionGeometry
    public let filters: Int
    public let depthMultiplier: Int
    public let useBias: Bool
    public let activation: ActivationFunction


    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, geometry.className)
        let spatial = try geometry.convolutionOutput(input)
        return [geometry.shape(batch: input.dims[0], spatial: spatial, channels: filters)]
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        let input = try Shapes.single(inputs, geometry.className)
        _ = try outputShapes(inputs)
        let c = try geometry.channels(input)
        guard let mid = checkedProduct([c, depthMultiplier]) else {
            throw LayerError("\(geometry.className): in_channels (\(c)) x depth_multiplier (\(depthMultiplier)) overflows")
        }
        var out = [
            WeightSpec("depthwise_kernel", geometry.kernelSize + [c, depthMultiplier]),
            WeightSpec("pointwise_kernel", Array(repeating: 1, count: geometry.rank) + [mid, filters]),
        ]
        if useBias { out.append(WeightSpec("bias", [filters])) }
        return out
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        guard let input = inputs.first, let output = outputs.first,
              let c = try? geometry.channels(input),
              let spatial = try? geometry.split(output).spatial,
              let positions = Shapes.product(spatial),
              let volume = geometry.kernelVolume,
              let depthwise = checkedProduct([positions, c, depthMultiplier, volume]),
              let pointwise = checkedProduct([positions, c, depthMultiplier, filters]) else { return nil }
        return checkedSum([depthwise, pointwise])
    }

    /// Every property, as a reader sets them.
    public init(geometry: ConvolutionGeometry, filters: Int, depthMultiplier: Int, useBias: Bool, activation: ActivationFunction) {
        self.geometry = geometry
        self.filters = filters
        self.depthMultiplier = depthMultiplier
        self.useBias = useBias
        self.activation = activation
    }
}

extension SeparableConvolutionOp: Operator {
    public var family: String { "separable_convolution" }
    public var category: LayerCategory { .kernel }
}
