/// Dropout of entire channels for rank-5 inputs (`data_format` picks the channel axis)
/// (keras/src/layers/regularization/spatial_dropout.py).
///
/// `rate` must be in [0, 1]. Output shape: the input's, which must have rank 5.
/// No weights; MACs 0.
public struct SpatialDropout3D: LayerKind {
    public static let className = "SpatialDropout3D"
    public static let category = LayerCategory.regularization
    public static let summary = "During training, drops whole feature volumes at random instead of single values; does nothing at inference; no weights."

    public let dropout: SpatialDropout

    public init(config: LayerConfig) throws {
        dropout = try SpatialDropout(config: config, spatialRank: 3)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try dropout.outputShapes(inputs, Self.className) }
}
