/// Keras `MaxPooling2D`: max pooling over 2 spatial axises
/// (keras/src/layers/pooling/max_pooling2d.py, base_pooling.py).
///
/// Input `(batch, d1, d2, channels)` (or channels first); output the same
/// with each spatial size reduced by the window (see `PoolingWindow`). No weights.
/// MACs: 0 (pooling is counted as free, by convention).
public struct MaxPooling2D: LayerKind {
    public static let className = "MaxPooling2D"
    public static let aliases = ["MaxPool2D"]
    public static let category = LayerCategory.pooling
    public static let summary = "Shrinks the image by keeping the largest value of each small window of pixels; no weights."

    public let window: PoolingWindow

    public init(config: LayerConfig) throws {
        window = try PoolingWindow(config: config, spatialRank: 2)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try window.outputShape(Shapes.single(inputs, Self.className), Self.className)]
    }
}
