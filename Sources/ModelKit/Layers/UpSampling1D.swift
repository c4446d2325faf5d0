/// Keras `UpSampling1D`: repeats each item along each spatial axis `size` times
/// (keras/src/layers/reshaping/up_sampling1d.py).
///
/// Input `(batch, steps, channels)`; each known spatial size is multiplied by
/// its `size` entry.
/// No weights. MACs: 0 (counted as free, by convention).
public struct UpSampling1D: LayerKind {
    public static let className = "UpSampling1D"
    public static let category = LayerCategory.reshape
    public static let summary = "Enlarges the sequence by repeating each step a fixed number of times; no weights."

    public let upSampling: UpSampling

    public init(config: LayerConfig) throws {
        upSampling = try UpSampling(config: config, layout: SpatialLayout(spatialRank: 1, channelsFirst: false), readsInterpolation: false)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try upSampling.outputShapes(inputs, Self.className) }
}
