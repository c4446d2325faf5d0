/// Runs a recurrent layer over the sequence forwards and a second one backwards, and merges
/// the two outputs: `concat` (last axis doubled), `sum`, `mul`, `ave`, or no merge (two
/// outputs, forward then backward). When every step is returned, the backward outputs are
/// put back in forward time order before the merge. With `returnState` the forward states
/// follow the output(s), then the backward states.
/// Weights: the forward layer's (below `forward_<name>/`), then the backward layer's (below
/// `backward_<name>/`).
/// MACs: the forward layer's plus the backward layer's.
public struct BidirectionalOp: Operator {
    public var family: String { "bidirectional" }
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""


    /// The wrapped layer's category (the forward and backward layers are copies of one class).
    public var category: LayerCategory { forward.kind.category }

    public enum MergeMode: String, Sendable { case concat, sum, mul, ave }

    /// The forward layer, named `forward_<name>`.
    public let forward: WrappedLayer
    /// The backward layer (its own, or a copy of the forward one named `backward_<name>`).
    public let backward: WrappedLayer
    /// nil: no merge, the layer returns the two outputs separately.
    public let mergeMode: MergeMode?
    /// The wrapped layers return their final states, which follow the output(s).
    public let returnState: Bool


    public static func dropPrefix(_ s: String, _ prefix: String) -> String {
        s.hasPrefix(prefix) ? String(s.dropFirst(prefix.count)) : s
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        // Only the forward layer is asked; the backward one is assumed to match.
        let seq = try Shapes.single(inputs, sourceClass)
        let inner = try forward.kind.outputShapes([seq])
        guard let first = inner.first else { throw LayerError("the wrapped \(forward.className) returned no output") }
        var output = first
        let states = returnState ? Array(inner.dropFirst()) : []
        var outputs: [TensorShape]
        switch mergeMode {
        case .concat:
            guard output.rank > 0 else { throw LayerError("cannot concatenate outputs of rank 0") }
            if let last = output[output.rank - 1] {
                let (twice, o) = last.multipliedReportingOverflow(by: 2)
                guard !o else { throw LayerError("the concatenated size 2 × \(last) overflows") }
                output[output.rank - 1] = twice
            }
            outputs = [output]
        case .sum, .mul, .ave:
            outputs = [output]
        case nil:
            outputs = [output, output]
        }
        return outputs + states + states
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        let seq = try Shapes.single(inputs, sourceClass)
        return try forward.weights([seq]) + backward.weights([seq])
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        guard let seq = inputs.first else { return nil }
        var total: Int? = 0
        for half in [forward, backward] {
            guard let outs = try? half.kind.outputShapes([seq]) else { return nil }
            total = checkedSum([total, half.kind.macs([seq], outs)])
        }
        return total
    }

    /// Every property, as a reader sets them.
    public init(forward: WrappedLayer, backward: WrappedLayer, mergeMode: MergeMode?, returnState: Bool) {
        self.forward = forward
        self.backward = backward
        self.mergeMode = mergeMode
        self.returnState = returnState
    }
}
