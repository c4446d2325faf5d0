import Tensors

/// A weight tensor the file holds by name (an ONNX initializer), in the engine's canonical
/// layout, its data read only when asked for: analysing a graph never reads weights, running
/// it reads each once.
///
/// Canonical layouts (the reader transposes into them): convolution kernels spatial axes
/// first, then input channels per group, then output channels (`HWIO` for 2-D); dense kernels
/// `(inputs, outputs)`; everything else as the operator documents its weights.
public struct Initializer: Sendable {
    public var name: String
    public var shape: [Int]
    public var dtype: DType
    /// The canonical layout the data is in (`HWIO`, `IO`, `C`), for messages and display.
    public var layout: String
    /// Reads the data; throws a `StrataError` naming the file and the tensor when it cannot.
    public var load: @Sendable () throws -> Tensor

    public init(name: String, shape: [Int], dtype: DType = .float32, layout: String = "",
                load: @escaping @Sendable () throws -> Tensor) {
        self.name = name
        self.shape = shape
        self.dtype = dtype
        self.layout = layout
        self.load = load
    }

    /// An initializer whose data is already in memory.
    public init(name: String, tensor: Tensor, dtype: DType = .float32, layout: String = "") {
        self.init(name: name, shape: tensor.shape, dtype: dtype, layout: layout) { tensor }
    }

    /// Element count; nil when it overflows.
    public var count: Int? { checkedProduct(shape) }
}

/// One tensor the graph computes: its name, the call output that produces it, and (after
/// shape inference) its shape.
public struct Value: Sendable, Hashable {
    public var name: String
    public var producer: TensorRef
    public var shape: TensorShape?
    public var dtype: DType
}

extension ModelGraph {
    /// The name of the tensor `ref`: the one the reader gave it (an ONNX value name), else
    /// `layer:index` (`conv1:0`), with the call for a layer called more than once
    /// (`dense (call 2):0`).
    public func name(of ref: TensorRef) -> String {
        if let n = tensorNames[ref] { return n }
        guard ref.layer >= 0, ref.layer < layers.count else { return "\(ref)" }
        let layer = layers[ref.layer]
        return (ref.call == 0 ? layer.name : "\(layer.name) (call \(ref.call + 1))") + ":\(ref.tensor)"
    }

    /// Every tensor the graph computes, in execution order, with the shapes `inference` found.
    public func values(_ inference: ShapeInference) -> [Value] {
        executionOrder.flatMap { node -> [Value] in
            let outs = inference.outputs[node.layer][node.call] ?? []
            let count = max(outs.count, 1)
            return (0..<count).map { t in
                let ref = TensorRef(layer: node.layer, call: node.call, tensor: t)
                return Value(name: name(of: ref), producer: ref, shape: t < outs.count ? outs[t] : nil, dtype: layers[node.layer].dtype)
            }
        }
    }

    /// The weights the graph's initializers give each layer, keyed by layer path (nested
    /// graphs' layers below their model's name, `encoder/dense`), in each layer's
    /// `initializerNames` order: what the engine takes. Reads every initializer.
    public func initializerWeights(prefix: String = "") throws -> [String: [Tensor]] {
        var out: [String: [Tensor]] = [:]
        for layer in layers {
            if !layer.initializerNames.isEmpty {
                out[prefix + layer.name] = try layer.initializerNames.map { name in
                    guard let i = initializers[name] else {
                        throw StrataError(file: source.file, place: "layer \"\(layer.name)\"", "names initializer \"\(name)\", which the graph does not hold")
                    }
                    return try i.load()
                }
            }
            if let nested = layer.nestedGraph {
                out.merge(try nested.initializerWeights(prefix: prefix + layer.name + "/")) { a, _ in a }
            }
        }
        return out
    }
}
