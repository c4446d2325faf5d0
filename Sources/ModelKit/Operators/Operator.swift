/// What a node computes, as far as analysis needs: the shapes it produces, the weight
/// tensors it owns and the multiply-accumulates one application costs.
///
/// One rank-generic family per type in `Operators/` (a convolution of any spatial rank,
/// pooling, dense, normalisation, element-wise merge, ...). A reader maps each of its
/// format's classes or op types onto one of these and fills `sourceClass` with the file's
/// own name for it, which messages and the report show. Nothing here knows a format.
public protocol Operator: Sendable {
    /// The class or op type the file names this node with: display and messages only, set by
    /// the reader.
    var sourceClass: String { get set }

    /// The family id the report and counts branch on (`convolution`, `batch_normalization`,
    /// `add`, `concatenate`, `input`, `model`, ...).
    var family: String { get }

    /// What kind of work the node does; drives counts and the explanation.
    var category: LayerCategory { get }

    /// Output shapes for one application with these input shapes (all tensor arguments,
    /// flattened in call order). Throws `LayerError` when the inputs do not fit.
    func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape]

    /// The weight tensors the node creates when built on these inputs (its first call).
    func weights(_ inputs: [TensorShape]) throws -> [WeightSpec]

    /// Output shapes when the contents of some inputs are known before running (`values`,
    /// one per input, nil where unknown): shape arithmetic, a reshape whose target is
    /// computed. Operators whose shapes depend only on input shapes keep the default, which
    /// calls `outputShapes(_:)`.
    func outputShapes(_ inputs: [TensorShape], values: [TensorValue?]) throws -> [TensorShape]

    /// The contents of the outputs computable before running (one per output, nil where
    /// unknown), given the input shapes, the inputs' known contents and the output shapes.
    /// Default: none.
    func outputValues(_ inputs: [TensorShape], values: [TensorValue?], outputs: [TensorShape]) -> [TensorValue?]

    /// Multiply-accumulates of one application at batch 1; nil when a dimension is unknown.
    func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int?

    /// When the node reads its first input as integer ids (a lookup table), the valid ids;
    /// synthetic inputs for timing must stay in this range. nil for value inputs.
    var idInputRange: Range<Int>? { get }

    /// Graphs the node runs inside itself (a nested model; a loop or branch body).
    var subgraphs: [ModelGraph] { get }

    /// True when the node reads or makes strings (a string lookup, text vectorization,
    /// hashing): the only nodes a tensor of strings may reach, and ones the compiled plan
    /// leaves to the interpreter. Default: false.
    var handlesText: Bool { get }
}

extension Operator {
    public func outputShapes(_ inputs: [TensorShape], values: [TensorValue?]) throws -> [TensorShape] { try outputShapes(inputs) }
    public func outputValues(_ inputs: [TensorShape], values: [TensorValue?], outputs: [TensorShape]) -> [TensorValue?] { [] }
    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] { [] }
    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? { 0 }
    public var idInputRange: Range<Int>? { nil }
    public var subgraphs: [ModelGraph] { [] }
    public var handlesText: Bool { false }
}

/// A coarse family of layers, used for the layer counts and the plain-language explanation.
public enum LayerCategory: String, Sendable, CaseIterable {
    /// Owns a kernel: dense and einsum layers, convolutions, recurrent and attention projections.
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

    /// Output length of a convolution or pooling window along one axis: `same` and `causal`
    /// keep `ceil(L / stride)` positions, `valid` `floor((L - effective) / stride) + 1` (0
    /// when the dilated window does not fit).
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

    /// Output length of a transposed convolution along one axis, with or without an explicit
    /// output padding.
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

