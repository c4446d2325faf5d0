/// Keras `ZeroPadding2D`: adds rows of zeros at both ends of each spatial axis
/// (keras/src/layers/reshaping/zero_padding2d.py).
///
/// Input `(batch, rows, cols, channels)` (or channels first); each known spatial size grows by
/// `before + after` of its `padding` entry (an int, a list of ints, or a list of pairs).
/// No weights. MACs: 0 (padding is counted as free, by convention).
public struct ZeroPadding2D: LayerKind {
    public static let className = "ZeroPadding2D"
    public static let category = LayerCategory.reshape
    public static let summary = "Adds a border of zeros around the image to make it larger; no weights."

    public let padding: ZeroPadding

    public init(config: LayerConfig) throws {
        padding = try ZeroPadding(config: config, spatialRank: 2, default: [(1, 1), (1, 1)])
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try padding.outputShapes(inputs, Self.className) }
}
