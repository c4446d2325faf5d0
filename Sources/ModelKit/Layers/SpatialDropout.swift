/// The shared behaviour of SpatialDropout1D, SpatialDropout2D and SpatialDropout3D
/// (keras/src/layers/regularization/spatial_dropout.py): decoding and output shape.
/// Each class's file holds one of these.
///
/// `rate` must be in [0, 1] (see `DropoutRate`). Output shape: the input's, which must have
/// rank `spatialRank + 2`. No weights; MACs 0.
public struct SpatialDropout: Sendable {
    /// Number of spatial axes (1, 2 or 3).
    public let spatialRank: Int
    public let rate: Double
    public let channelsFirst: Bool

    public init(config: LayerConfig, spatialRank: Int) throws {
        self.spatialRank = spatialRank
        rate = try DropoutRate.read(config, default: 0.5)
        channelsFirst = try config.channelsFirst()
    }

    /// The input shape, after checking its rank.
    public func outputShapes(_ inputs: [TensorShape], _ layer: String) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, layer)
        try Shapes.require(input, rank: spatialRank + 2, layer)
        return [input]
    }
}
