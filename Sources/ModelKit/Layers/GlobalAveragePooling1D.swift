/// Keras `GlobalAveragePooling1D`: average over all 1 spatial axis
/// (keras/src/layers/pooling/global_average_pooling1d.py, base_global_pooling.py).
///
/// Input `(batch, d1, channels)` (or channels first); output
/// `(batch, channels)`, or with `keepdims=true` the input shape with every spatial size 1.
/// No weights. MACs: 0 (pooling is counted as free, by convention).
public struct GlobalAveragePooling1D: LayerKind {
    public static let className = "GlobalAveragePooling1D"
    public static let aliases = ["GlobalAvgPool1D"]
    public static let category = LayerCategory.pooling
    public static let summary = "Reduces each channel of the whole sequence to one number (the average); no weights."

    public let reduction: GlobalPoolingReduction

    public init(config: LayerConfig) throws {
        reduction = try GlobalPoolingReduction(config: config, spatialRank: 1)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try reduction.outputShape(Shapes.single(inputs, Self.className), Self.className)]
    }
}
