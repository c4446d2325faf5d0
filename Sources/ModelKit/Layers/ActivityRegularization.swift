/// Adds an L1/L2 penalty on its input to the loss during training
/// (keras/src/layers/regularization/activity_regularization.py).
///
/// Output shape: the input's. No weights; MACs 0.
public struct ActivityRegularization: LayerKind {
    public static let className = "ActivityRegularization"
    public static let category = LayerCategory.regularization
    public static let summary = "Passes values through unchanged and adds a penalty on their size to the training loss; no weights."

    public let l1: Double
    public let l2: Double

    public init(config: LayerConfig) throws {
        l1 = try config.double("l1", default: 0)
        l2 = try config.double("l2", default: 0)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try Shapes.single(inputs, Self.className)]
    }
}
