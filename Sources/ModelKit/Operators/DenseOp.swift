/// A fully connected operator on the last axis: `x · kernel + bias`, then the activation.
///
/// Input `(batch, ..., in_features)`, rank >= 2; output `(batch, ..., units)`.
/// Weights, in this order: `kernel` `(in_features, units)`, `bias` `(units,)` when
/// `useBias`; with a low-rank adapter (`loraRank`) the kernel is frozen and `lora_kernel_a`
/// `(in_features, rank)`, `lora_kernel_b` `(rank, units)` follow.
/// MACs: input positions (all axes but the last, batch 1) x in_features x units.
public struct DenseOp: Operator {
    public var family: String { "dense" }
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .kernel }


    public let units: Int
    public let useBias: Bool
    /// The activation applied to the output (`.linear` for none).
    public let activation: ActivationFunction
    /// Rank of the low-rank adapter (LoRA), nil without one.
    public let loraRank: Int?


    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        var shape = try Shapes.single(inputs, sourceClass)
        guard shape.rank >= 2 else { throw LayerError("\(sourceClass) expects an input of rank 2 or more (batch, ..., features), found \(shape)") }
        shape.dims[shape.rank - 1] = units
        return [shape]
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        let input = try Shapes.single(inputs, sourceClass)
        _ = try outputShapes(inputs)
        let features = try Shapes.known(input, axis: -1, sourceClass)
        var out = [WeightSpec("kernel", [features, units], trainable: loraRank == nil)]
        if useBias { out.append(WeightSpec("bias", [units])) }
        if let r = loraRank {
            out.append(WeightSpec("lora_kernel_a", [features, r]))
            out.append(WeightSpec("lora_kernel_b", [r, units]))
        }
        return out
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        guard let input = inputs.first, input.rank >= 2, let features = input.dim(-1) else { return nil }
        guard let positions = TensorShape(Array(input.dims.dropLast())).elementCount(batch: 1) else { return nil }
        return checkedProduct([positions, features, units])
    }

    /// Every property, as a reader sets them.
    public init(units: Int, useBias: Bool, activation: ActivationFunction, loraRank: Int?) {
        self.units = units
        self.useBias = useBias
        self.activation = activation
        self.loraRank = loraRank
    }
}
