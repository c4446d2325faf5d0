/// Keras `Cropping2D`: removes items at both ends of each spatial axis
/// (keras/src/layers/reshaping/cropping2d.py).
///
/// Input `(batch, rows, cols, channels)` (or channels first); each known spatial size shrinks by
/// `before + after` of its `cropping` entry, which must leave at least one item.
/// No weights. MACs: 0 (cropping is counted as free, by convention).
public struct Cropping2D: LayerKind {
    public static let className = "Cropping2D"
    public static let category = LayerCategory.reshape
    public static let summary = "Cuts a border off the image to make it smaller; no weights."

    public let cropping: Cropping

    public init(config: LayerConfig) throws {
        cropping = try Cropping(config: config, layout: SpatialLayout(config: config, spatialRank: 2), default: [(0, 0), (0, 0)])
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try cropping.outputShapes(inputs, Self.className) }
}
