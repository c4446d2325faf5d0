/// A node whose class or op type Strata does not know (a custom layer, a function written in
/// code). It is kept in the graph so the rest of the model is still read, drawn and counted;
/// its output shapes come from the file when the file records them, and its weights from the
/// weights file if any.
public struct UnsupportedOp: Operator {
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .other }
    public var family: String { "unsupported" }


    public let savedClassName: String
    /// Weight tensors found in the weights file for this layer, when the file has them.
    public var knownWeights: [WeightSpec]
    /// The output shape the file declares for the node, without the batch axis, when it does.
    public var declaredOutputShape: [Int?]?
    /// When the reader knows the unsupported node reads integer ids in a range (a category
    /// encoding of n tokens), that range.
    public var idRange: Range<Int>?
    public var idInputRange: Range<Int>? { idRange }
    /// Why the engine cannot run the node, when the reader knows (it works on strings; it
    /// masks values the engine does not propagate).
    public var refusal: String?

    public init(className: String, knownWeights: [WeightSpec] = [], declaredOutputShape: [Int?]? = nil) {
        self.savedClassName = className
        self.knownWeights = knownWeights
        self.declaredOutputShape = declaredOutputShape
    }


    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        if let declared = declaredOutputShape {
            let batch = inputs.first?.dims.first ?? nil
            return [TensorShape([batch] + declared)]
        }
        throw LayerError("shape of unsupported layer class \"\(savedClassName)\" is not known")
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] { knownWeights }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? { nil }
}
