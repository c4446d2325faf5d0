/// Dropout of entire channels for rank-3 inputs
/// (keras/src/layers/regularization/spatial_dropout.py).
///
/// `rate` must be in [0, 1]. Output shape: the input's, which must have rank 3.
/// No weights; MACs 0.
public struct SpatialDropout1D: LayerKind {
    public static let className = "SpatialDropout1D"
    public static let category = LayerCategory.regularization
    public static let summary = "During training, drops whole feature channels of a sequence at random instead of single values; does nothing at inference; no weights."

    public let dropout: SpatialDropout

    public init(config: LayerConfig) throws {
        dropout = try SpatialDropout(config: config, spatialRank: 1)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try dropout.outputShapes(inputs, Self.className) }
}
