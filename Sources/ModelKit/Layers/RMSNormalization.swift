/// Keras `RMSNormalization` (keras/src/layers/normalization/rms_normalization.py, `build`):
/// divides by the root mean square over `axis` and applies a learned scale.
///
/// Output shape = input shape. One trainable weight `scale` of shape `(input[axis],)`, or the
/// sizes on the sorted axes for a list. MACs: 1 per output element (by convention).
public struct RMSNormalization: LayerKind {
    public static let className = "RMSNormalization"
    public static let category = LayerCategory.normalization
    public static let summary = "Divides each sample by its root mean square over the features, then applies a learned scale per feature."

    public let axis: NormalizationAxes

    public init(config: LayerConfig) throws {
        axis = try NormalizationAxes(config: config)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try axis.outputShapes(inputs, Self.className) }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        let input = try Shapes.single(inputs, Self.className)
        return [WeightSpec("scale", try axis.featureShape(input, Self.className))]
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        outputs.first?.elementCount(batch: 1)
    }
}
