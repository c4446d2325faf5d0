/// A convolution over 1, 2 or 3 spatial axes (the geometry's rank), optionally grouped: each
/// output channel mixes a window of every input channel of its group.
///
/// Output: the spatial sizes `ConvolutionGeometry.convolutionOutput` gives, and `filters`
/// channels. Weights, in this order: `kernel` `(*kernelSize, in_channels / groups, filters)`,
/// then `bias` `(filters,)` when `useBias`. With a low-rank adapter (`loraRank`) the kernel is
/// frozen (non-trainable) and `lora_kernel_a` `(*kernelSize, in_channels / groups, rank)` and
/// `lora_kernel_b` `(rank, filters)` follow.
///
/// MACs: output elements x (kernel volume x in_channels / groups), at batch 1.
public struct ConvolutionOp: Sendable {
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""

    public let geometry: ConvolutionGeometry
    public let filters: Int
    public let groups: Int
    public let useBias: Bool
    /// The activation applied to the output (`.linear` for none).
    public let activation: ActivationFunction
    /// Rank of the low-rank adapter (LoRA), nil without one.
    public let loraRank: Int?


    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, geometry.className)
        let spatial = try geometry.convolutionOutput(input)
        return [geometry.shape(batch: input.dims[0], spatial: spatial, channels: filters)]
    }

    /// Input channels per group; an error when unknown or not divisible by `groups`.
    func channelsPerGroup(_ input: TensorShape) throws -> Int {
        let c = try geometry.channels(input)
        guard c % groups == 0 else {
            throw LayerError("\(geometry.className): the input's \(c) channels must be divisible by groups (\(groups)); input \(input)")
        }
        return c / groups
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        let input = try Shapes.single(inputs, geometry.className)
        _ = try outputShapes(inputs)
        let perGroup = try channelsPerGroup(input)
        var out = [WeightSpec("kernel", geometry.kernelSize + [perGroup, filters], trainable: loraRank == nil)]
        if useBias { out.append(WeightSpec("bias", [filters])) }
        if let r = loraRank {
            out.append(WeightSpec("lora_kernel_a", geometry.kernelSize + [perGroup, r]))
            out.append(WeightSpec("lora_kernel_b", [r, filters]))
        }
        return out
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        guard let input = inputs.first, let output = outputs.first,
              let perGroup = try? channelsPerGroup(input),
              let elements = output.elementCount(batch: 1),
              let volume = geometry.kernelVolume else { return nil }
        return checkedProduct([elements, volume, perGroup])
    }

    /// Every property, as a reader sets them.
    public init(geometry: ConvolutionGeometry, filters: Int, groups: Int, useBias: Bool, activation: ActivationFunction, loraRank: Int?) {
        self.geometry = geometry
        self.filters = filters
        self.groups = groups
        self.useBias = useBias
        self.activation = activation
        self.loraRank = loraRank
    }
}

extension ConvolutionOp: Operator {
    public var family: String { "convolution" }
    public var category: LayerCategory { .kernel }
}
