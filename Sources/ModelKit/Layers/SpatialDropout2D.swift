/// Dropout of entire channels for rank-4 inputs (`data_format` picks the channel axis)
/// (keras/src/layers/regularization/spatial_dropout.py).
///
/// `rate` must be in [0, 1]. Output shape: the input's, which must have rank 4.
/// No weights; MACs 0.
public struct SpatialDropout2D: LayerKind {
    public static let className = "SpatialDropout2D"
    public static let category = LayerCategory.regularization
    public static let summary = "During training, drops whole feature maps of an image at random instead of single values; does nothing at inference; no weights."

    public let rate: Double
    public let channelsFirst: Bool

    public init(config: LayerConfig) throws {
        guard config.has("rate") else { throw config.error("rate", "missing key \"rate\"") }
        rate = try config.double("rate", default: 0.5)
        guard rate >= 0, rate <= 1 else { throw config.error("rate", "must be between 0 and 1, found \(rate)") }
        channelsFirst = try config.channelsFirst()
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, Self.className)
        try Shapes.require(input, rank: 4, Self.className)
        return [input]
    }
}
