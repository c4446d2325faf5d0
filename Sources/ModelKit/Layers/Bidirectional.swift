/// Runs a recurrent layer over the sequence forwards and a copy of it backwards, and merges
/// the two outputs.
///
/// Config: `layer` (the forward layer, serialized), optional `backward_layer` (Keras 3 always
/// saves it; when absent the backward layer is a copy of `layer` with `go_backwards`), and
/// `merge_mode`: `concat` (last axis doubled), `sum`, `mul`, `ave`, or null (two outputs,
/// forward then backward). With `return_state` the forward states follow the output(s), then
/// the backward states.
/// Weights: the forward layer's (below `forward_<name>/`), then the backward layer's (below
/// `backward_<name>/`).
/// MACs: the forward layer's plus the backward layer's.
/// Upstream: keras/src/layers/rnn/bidirectional.py.
public struct Bidirectional: LayerKind {
    public static let className = "Bidirectional"
    public static let category = LayerCategory.kernel
    public static let summary = "Reads a sequence both forwards and backwards with two copies of a recurrent layer and combines what they found; owns both copies' weights."

    /// The wrapped layer's category (the forward and backward layers are copies of one class).
    public var category: LayerCategory { forward.kind.category }

    public enum MergeMode: String, Sendable { case concat, sum, mul, ave }

    /// The forward layer, named `forward_<name>`.
    public let forward: WrappedLayer
    /// The backward layer (`backward_layer`, or a copy of `layer` named `backward_<name>`).
    public let backward: WrappedLayer
    /// nil: no merge, the layer returns the two outputs separately.
    public let mergeMode: MergeMode?
    /// The wrapped layer's `return_state`: states follow the output(s).
    public let returnState: Bool

    public init(config: LayerConfig) throws {
        let inner = try WrappedLayer(config, key: "layer")
        let forwardName = "forward_" + Bidirectional.dropPrefix(inner.name, "forward_")
        forward = WrappedLayer(className: inner.className, name: forwardName, kind: inner.kind, config: inner.config)
        if config.has("backward_layer") {
            backward = try WrappedLayer(config, key: "backward_layer")
            for key in ["stateful", "return_sequences", "return_state"] {
                let f = try forward.config.bool(key, default: false)
                let b = try backward.config.bool(key, default: false)
                guard f == b else {
                    throw config.error("backward_layer.config.\(key)", "the forward and backward layers must agree on \"\(key)\", found \(f) forward and \(b) backward")
                }
            }
            let fb = try forward.config.bool("go_backwards", default: false)
            let bb = try backward.config.bool("go_backwards", default: false)
            guard fb != bb else {
                throw config.error("backward_layer.config.go_backwards", "the forward and backward layers must differ in \"go_backwards\", both are \(fb)")
            }
        } else {
            guard try !forward.config.bool("go_backwards", default: false) else {
                throw config.error("layer.config.go_backwards", "the wrapped layer has go_backwards true, so its backward copy would run the same way")
            }
            let backwardName = "backward_" + Bidirectional.dropPrefix(inner.name, "backward_")
            backward = WrappedLayer(className: inner.className, name: backwardName, kind: inner.kind, config: inner.config)
        }
        if let v = config["merge_mode"], !v.isNull {
            guard let s = v.stringValue, let m = MergeMode(rawValue: s) else {
                throw config.error("merge_mode", "expected \"concat\", \"sum\", \"mul\", \"ave\" or null, found \(v.brief)")
            }
            mergeMode = m
        } else {
            mergeMode = config["merge_mode"] == nil ? .concat : nil
        }
        returnState = try forward.config.bool("return_state", default: false)
    }

    static func dropPrefix(_ s: String, _ prefix: String) -> String {
        s.hasPrefix(prefix) ? String(s.dropFirst(prefix.count)) : s
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        // Keras asks only the forward layer (the backward one is assumed to match).
        let seq = try Shapes.single(inputs, Self.className)
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
        let seq = try Shapes.single(inputs, Self.className)
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
}
