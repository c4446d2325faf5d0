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

    public init(className: String, knownWeights: [WeightSpec] = []) {
        self.savedClassName = className
        self.knownWeights = knownWeights
    }

    public init(config: LayerConfig) throws {
        self.init(className: "unknown")
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        throw LayerError("shape of unsupported layer class \"\(savedClassName)\" is not known")
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] { knownWeights }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? { nil }
}
