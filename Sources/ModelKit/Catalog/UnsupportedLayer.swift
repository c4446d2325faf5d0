/// A layer whose class Strata does not know (a custom layer, a `Lambda`). It is kept in the
/// graph so the rest of the model is still read, drawn and counted; its output shapes come
/// from the file where Keras recorded them, and its weights from the weights file if any.
public struct UnsupportedLayer: LayerKind {
    public static let className = "(unsupported)"
    public static let category = LayerCategory.other
    public static let summary = "A layer class Strata does not know; counted from the file where possible."

    public let savedClassName: String
    /// Weight tensors found in the weights file for this layer, when the file has them.
    public var knownWeights: [WeightSpec]
    /// The output shape the config declares without the batch axis (a `Lambda`'s
    /// `output_shape`), when it does.
    public var declaredOutputShape: [Int?]?

    public init(className: String, knownWeights: [WeightSpec] = [], declaredOutputShape: [Int?]? = nil) {
        self.savedClassName = className
        self.knownWeights = knownWeights
        self.declaredOutputShape = declaredOutputShape
    }

    public init(config: LayerConfig) throws {
        self.init(className: "unknown")
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
