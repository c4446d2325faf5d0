/// What a layer does, as far as analysis needs: what shapes it produces, which weight
/// tensors it owns and how many multiply-accumulates one call costs.
///
/// One conforming type per file in `Layers/`, one line in `LayerCatalog`. Shapes follow
/// Keras's `compute_output_shape` for the same class (the upstream file is named in each type).
public protocol LayerKind: Sendable {
    /// The Keras class name (`Conv2D`).
    static var className: String { get }
    /// Other names the same class is saved under (Keras 2 names, old aliases).
    static var aliases: [String] { get }
    /// What kind of work the layer does; drives counts and the explanation.
    static var category: LayerCategory { get }
    /// One sentence for `strata layers` and the report's glossary.
    static var summary: String { get }

    /// Decodes the layer's Keras config. Errors name the key and the value.
    init(config: LayerConfig) throws

    /// Output shapes for one call with these input shapes (all tensor arguments, flattened in
    /// call order). Throws `LayerError` when the inputs do not fit.
    func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape]

    /// The weight tensors the layer creates when built on these inputs (its first call).
    func weights(_ inputs: [TensorShape]) throws -> [WeightSpec]

    /// Multiply-accumulates of one call at batch 1; nil when a dimension is unknown.
    func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int?

    /// Category of this instance: the class's `category` unless the instance knows better
    /// (a wrapper reports the category of the layer it wraps).
    var category: LayerCategory { get }
}

extension LayerKind {
    public static var aliases: [String] { [] }
    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] { [] }
    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? { 0 }
    /// The class's category.
    public var category: LayerCategory { Self.category }
    /// The operator family id (`convolution`, `batch_normalization`, `add`, `concatenate`,
    /// `input`, `model`, ...).
    public var op: String { OperatorID.of(className: Self.className) }
}

/// A coarse family of layers, used for the layer counts and the plain-language explanation.
public enum LayerCategory: String, Sendable, CaseIterable {
    /// Owns a kernel: Dense, convolutions, recurrent and attention projections.
    case kernel
    case normalization
    case activation
    case merge
    case pooling
    case reshape
    case input
    case regularization
    case preprocessing
    case embedding
    case model
    case other
}

/// Helpers shared by layer kinds.
public enum Shapes {
    /// The single input of a one-input layer, or a `LayerError`.
    public static func single(_ inputs: [TensorShape], _ layer: String) throws -> TensorShape {
        guard let first = inputs.first else { throw LayerError("\(layer) needs an input, found none") }
        return first
    }

    /// Requires rank `rank`, naming the shape otherwise.
    public static func require(_ shape: TensorShape, rank: Int, _ what: String) throws {
        guard shape.rank == rank else { throw LayerError("\(what) expects an input of rank \(rank), found \(shape)") }
    }

    /// Requires a known dimension on `axis`.
    public static func known(_ shape: TensorShape, axis: Int, _ what: String) throws -> Int {
        guard let d = shape.dim(axis) else { throw LayerError("\(what) needs a known size on axis \(axis) of input \(shape)") }
        return d
    }

    /// Output length of a convolution or pooling window along one axis
    /// (keras/src/ops/operation_utils.py, compute_conv_output_shape / compute_pooling_output_shape).
    public static func windowOutput(_ length: Int?, kernel: Int, stride: Int, dilation: Int = 1, padding: String) -> Int? {
        guard let length else { return nil }
        let effective = (kernel - 1) * dilation + 1
        switch padding {
        case "same", "causal": return (length + stride - 1) / stride
        default:
            let out = (length - effective) / stride + 1
            return length >= effective ? out : 0
        }
    }

    /// Output length of a transposed convolution along one axis
    /// (keras/src/ops/operation_utils.py, compute_conv_transpose_output_shape).
    public static func transposeOutput(_ length: Int?, kernel: Int, stride: Int, dilation: Int = 1, padding: String, outputPadding: Int?) -> Int? {
        guard let length else { return nil }
        let k = (kernel - 1) * dilation + 1
        if let op = outputPadding {
            let pad = padding == "same" ? k / 2 : 0
            return (length - 1) * stride + k - 2 * pad + op
        }
        return padding == "same" ? length * stride : length * stride + max(k - stride, 0)
    }

    /// Sum of optional ints (nil when any is nil).
    public static func product(_ values: [Int?]) -> Int? {
        var n = 1
        for v in values {
            guard let v else { return nil }
            let (p, o) = n.multipliedReportingOverflow(by: v)
            if o { return nil }
            n = p
        }
        return n
    }
}

/// Transitional: operator family ids for the kinds until each kind is an operator.
enum OperatorID {
    static func of(className: String) -> String {
        switch className {
        case "Functional": return "model"
        case "InputLayer": return "input"
        case "Conv1D", "Conv2D", "Conv3D": return "convolution"
        default:
            var out = ""
            for (i, ch) in className.enumerated() {
                if ch.isUppercase && i > 0 { out += "_" }
                out += ch.lowercased()
            }
            return out
        }
    }
}
