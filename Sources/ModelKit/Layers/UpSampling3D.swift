/// Keras `UpSampling3D`: repeats each item along each spatial axis `size` times
/// (keras/src/layers/reshaping/up_sampling3d.py).
///
/// Input `(batch, d1, d2, d3, channels)` (or channels first); each known spatial size is multiplied by
/// its `size` entry.
/// No weights. MACs: 0 (counted as free, by convention).
public struct UpSampling3D: LayerKind {
    public static let className = "UpSampling3D"
    public static let category = LayerCategory.reshape
    public static let summary = "Enlarges the volume by repeating each voxel a fixed number of times; no weights."

    public let upSampling: UpSampling

    public init(config: LayerConfig) throws {
        upSampling = try UpSampling(config: config, layout: SpatialLayout(config: config, spatialRank: 3), readsInterpolation: false)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try upSampling.outputShapes(inputs, Self.className) }
}
