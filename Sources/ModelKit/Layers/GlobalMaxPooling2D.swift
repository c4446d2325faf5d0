/// Keras `GlobalMaxPooling2D`: max over all 2 spatial axises
/// (keras/src/layers/pooling/global_max_pooling2d.py, base_global_pooling.py).
///
/// Input `(batch, d1, d2, channels)` (or channels first); output
/// `(batch, channels)`, or with `keepdims=true` the input shape with every spatial size 1.
/// No weights. MACs: 0 (pooling is counted as free, by convention).
public struct GlobalMaxPooling2D: LayerKind {
    public static let className = "GlobalMaxPooling2D"
    public static let aliases = ["GlobalMaxPool2D"]
    public static let category = LayerCategory.pooling
    public static let summary = "Reduces each channel of the whole image to one number (the largest value); no weights."

    public let reduction: GlobalPoolingReduction

    public init(config: LayerConfig) throws {
        reduction = try GlobalPoolingReduction(config: config, spatialRank: 2)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try reduction.outputShape(Shapes.single(inputs, Self.className), Self.className)]
    }
}
