/// Dropout of entire channels for rank-4 inputs (`data_format` picks the channel axis)
/// (keras/src/layers/regularization/spatial_dropout.py).
///
/// `rate` must be in [0, 1]. Output shape: the input's, which must have rank 4.
/// No weights; MACs 0.
public struct SpatialDropout2D: LayerKind {
    public static let className = "SpatialDropout2D"
    public static let category = LayerCategory.regularization
    public static let summary = "During training, drops whole feature maps of an image at random instead of single values; does nothing at inference; no weights."

    public let dropout: SpatialDropout

    public init(config: LayerConfig) throws {
        dropout = try SpatialDropout(config: config, spatialRank: 2)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try dropout.outputShapes(inputs, Self.className) }
}
