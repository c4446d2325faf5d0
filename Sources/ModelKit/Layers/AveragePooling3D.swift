/// Keras `AveragePooling3D`: average pooling over 3 spatial axises
/// (keras/src/layers/pooling/average_pooling3d.py, base_pooling.py).
///
/// Input `(batch, d1, d2, d3, channels)` (or channels first); output the same
/// with each spatial size reduced by the window (see `PoolingWindow`). No weights.
/// MACs: 0 (pooling is counted as free, by convention).
public struct AveragePooling3D: LayerKind {
    public static let className = "AveragePooling3D"
    public static let aliases = ["AvgPool3D"]
    public static let category = LayerCategory.pooling
    public static let summary = "Shrinks the volume by keeping the average of each small window of voxels; no weights."

    public let window: PoolingWindow

    public init(config: LayerConfig) throws {
        window = try PoolingWindow(config: config, spatialRank: 3)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try window.outputShape(Shapes.single(inputs, Self.className), Self.className)]
    }
}
