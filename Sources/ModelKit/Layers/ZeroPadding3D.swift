/// Keras `ZeroPadding3D`: adds rows of zeros at both ends of each spatial axis
/// (keras/src/layers/reshaping/zero_padding3d.py).
///
/// Input `(batch, d1, d2, d3, channels)` (or channels first); each known spatial size grows by
/// `before + after` of its `padding` entry (an int, a list of ints, or a list of pairs).
/// No weights. MACs: 0 (padding is counted as free, by convention).
public struct ZeroPadding3D: LayerKind {
    public static let className = "ZeroPadding3D"
    public static let category = LayerCategory.reshape
    public static let summary = "Adds a border of zeros around the volume to make it larger; no weights."

    public let padding: ZeroPadding

    public init(config: LayerConfig) throws {
        padding = try ZeroPadding(config: config, spatialRank: 3, default: [(1, 1), (1, 1), (1, 1)])
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try padding.outputShapes(inputs, Self.className) }
}
