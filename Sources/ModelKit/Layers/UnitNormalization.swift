/// Keras `UnitNormalization` (keras/src/layers/normalization/unit_normalization.py): scales
/// each sample to L2 norm 1 over `axis` (an int or a list).
///
/// Output shape = input shape; no weights. MACs: 1 per output element (by convention).
public struct UnitNormalization: LayerKind {
    public static let className = "UnitNormalization"
    public static let category = LayerCategory.normalization
    public static let summary = "Scales each sample so that its values have length 1 (L2 norm); no weights."

    public let axis: NormalizationAxes

    public init(config: LayerConfig) throws {
        axis = try NormalizationAxes(config: config)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try axis.outputShapes(inputs, Self.className) }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        outputs.first?.elementCount(batch: 1)
    }
}
