/// Keras `UpSampling2D`: repeats each item along each spatial axis `size` times
/// (keras/src/layers/reshaping/up_sampling2d.py).
///
/// Input `(batch, rows, cols, channels)` (or channels first); each known spatial size is multiplied by
/// its `size` entry. UpSampling2D also takes `interpolation` (nearest, bilinear, ...), which does not change the shape.
/// No weights. MACs: 0 (counted as free, by convention).
public struct UpSampling2D: LayerKind {
    public static let className = "UpSampling2D"
    public static let category = LayerCategory.reshape
    public static let summary = "Enlarges the image by repeating each pixel a fixed number of times; no weights."

    public let upSampling: UpSampling

    public init(config: LayerConfig) throws {
        upSampling = try UpSampling(config: config, layout: SpatialLayout(config: config, spatialRank: 2), readsInterpolation: true)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try upSampling.outputShapes(inputs, Self.className) }
}
