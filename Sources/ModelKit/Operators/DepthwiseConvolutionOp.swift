/// A depthwise convolution over 1 or 2 spatial axes: each input channel is convolved on its
/// own with `depthMultiplier` kernels, giving `in_channels * depthMultiplier` output channels.
///
/// Weights, in this order: the depthwise kernel `(*kernelSize, in_channels, depthMultiplier)`,
/// named `kernelName`, then `bias` `(in_channels * depthMultiplier,)` when `useBias`.
///
/// MACs: output elements x kernel volume, at batch 1.
public struct DepthwiseConvolutionOp: Sendable {
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""

    public let geometry: ConvolutionGeometry
    public let depthMultiplier: Int
    public let useBias: Bool
    public let activation: ActivationFunction
    /// The kernel's weight name, as the file's format version names it.
    public let kernelName: String


    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, geometry.className)
        let spatial = try geometry.convolutionOutput(input)
        let channels = try geometry.split(input).channels.flatMap { checkedProduct([$0, depthMultiplier]) }
        return [geometry.shape(batch: input.dims[0], spatial: spatial, channels: channels)]
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        let input = try Shapes.single(inputs, geometry.className)
        _ = try outputShapes(inputs)
        let c = try geometry.channels(input)
        guard let outChannels = checkedProduct([c, depthMultiplier]) else {
            throw LayerError("\(geometry.className): in_channels (\(c)) x depth_multiplier (\(depthMultiplier)) overflows")
        }
        var out = [WeightSpec(kernelName, geometry.kernelSize + [c, depthMultiplier])]
        if useBias { out.append(WeightSpec("bias", [outChannels])) }
        return out
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        guard let output = outputs.first, let elements = output.elementCount(batch: 1),
              let volume = geometry.kernelVolume else { return nil }
        return checkedProduct([elements, volume])
    }

    /// Every property, as a reader sets them.
    public init(geometry: ConvolutionGeometry, depthMultiplier: Int, useBias: Bool, activation: ActivationFunction, kernelName: String) {
        self.geometry = geometry
        self.depthMultiplier = depthMultiplier
        self.useBias = useBias
        self.activation = activation
        self.kernelName = kernelName
    }
}

extension DepthwiseConvolutionOp: Operator {
    public var family: String { "depthwise_convolution" }
    public var category: LayerCategory { .kernel }
}
