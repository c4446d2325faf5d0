/// Keras `Cropping1D`: removes items at both ends of each spatial axis
/// (keras/src/layers/reshaping/cropping1d.py).
///
/// Input `(batch, steps, channels)`; each known spatial size shrinks by
/// `before + after` of its `cropping` entry, which must leave at least one item. Cropping1D has no `data_format`.
/// No weights. MACs: 0 (cropping is counted as free, by convention).
public struct Cropping1D: LayerKind {
    public static let className = "Cropping1D"
    public static let category = LayerCategory.reshape
    public static let summary = "Cuts a border off the sequence to make it smaller; no weights."

    public let cropping: Cropping

    public init(config: LayerConfig) throws {
        cropping = try Cropping(config: config, layout: SpatialLayout(spatialRank: 1, channelsFirst: false), default: [(1, 1)])
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try cropping.outputShapes(inputs, Self.className) }
}
