/// Keras `AveragePooling1D`: average pooling over 1 spatial axis
/// (keras/src/layers/pooling/average_pooling1d.py, base_pooling.py).
///
/// Input `(batch, d1, channels)` (or channels first); output the same
/// with each spatial size reduced by the window (see `PoolingWindow`). No weights.
/// MACs: 0 (pooling is counted as free, by convention).
public struct AveragePooling1D: LayerKind {
    public static let className = "AveragePooling1D"
    public static let aliases = ["AvgPool1D"]
    public static let category = LayerCategory.pooling
    public static let summary = "Shrinks the sequence by keeping the average of each small window of steps; no weights."

    public let window: PoolingWindow

    public init(config: LayerConfig) throws {
        window = try PoolingWindow(config: config, spatialRank: 1)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try window.outputShape(Shapes.single(inputs, Self.className), Self.className)]
    }
}
