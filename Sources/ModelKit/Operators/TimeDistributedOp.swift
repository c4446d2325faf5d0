/// Applies the wrapped layer to every timestep of the input: input `(batch, time, ...)`, the
/// inner layer sees `(batch, ...)`, and its output `(batch, ...')` comes back as
/// `(batch, time, ...')`.
///
/// Weights: the inner layer's, built on `(batch, ...)`, below the inner layer's name
/// (`dense/kernel`).
/// MACs: timesteps × the inner layer's MACs for one step.
public struct TimeDistributedOp: Operator {
    public var family: String { "time_distributed" }
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""


    /// The wrapped layer's category (a wrapped dropout is regularization, a wrapped dense layer
    /// a kernel layer).
    public var category: LayerCategory { inner.kind.category }

    /// The layer applied at every timestep.
    public let inner: WrappedLayer


    func childInput(_ inputs: [TensorShape]) throws -> (child: TensorShape, steps: Int?) {
        let x = try Shapes.single(inputs, sourceClass)
        guard x.rank >= 3 else {
            throw LayerError("\(sourceClass) needs an input with at least 3 dimensions (batch, time, ...), found \(x)")
        }
        return (TensorShape([x[0]] + x.dims.dropFirst(2)), x[1])
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let (child, steps) = try childInput(inputs)
        let outs = try inner.kind.outputShapes([child])
        guard outs.count == 1, let out = outs.first, out.rank >= 1 else {
            throw LayerError("\(sourceClass) needs an inner layer with one output, \(inner.className) \"\(inner.name)\" returns \(outs.count)")
        }
        return [TensorShape([out[0], steps] + out.dims.dropFirst())]
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        try inner.weights([try childInput(inputs).child])
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        guard let (child, steps) = try? childInput(inputs), let steps,
              let outs = try? inner.kind.outputShapes([child]),
              let perStep = inner.kind.macs([child], outs) else { return nil }
        return checkedProduct([steps, perStep])
    }

    /// Every property, as a reader sets them.
    public init(inner: WrappedLayer) {
        self.inner = inner
    }
}
