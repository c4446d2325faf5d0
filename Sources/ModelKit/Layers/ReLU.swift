/// Rectified linear unit with optional cap, slope and threshold
/// (keras/src/layers/activations/relu.py).
///
/// Output shape: the input's. No weights; MACs 0.
public struct ReLU: LayerKind {
    public static let className = "ReLU"
    public static let category = LayerCategory.activation
    public static let summary = "Keeps positive values and sets negative ones to zero (optionally capped, leaky or thresholded); no weights."

    public let maxValue: Double?
    public let negativeSlope: Double
    public let threshold: Double

    public init(config: LayerConfig) throws {
        if config.has("max_value") {
            let m = try config.double("max_value", default: 0)
            guard m >= 0 else { throw config.error("max_value", "cannot be negative, found \(m)") }
            maxValue = m
        } else {
            maxValue = nil
        }
        negativeSlope = try config.double("negative_slope", default: 0)
        guard negativeSlope >= 0 else { throw config.error("negative_slope", "cannot be negative, found \(negativeSlope)") }
        threshold = try config.double("threshold", default: 0)
        guard threshold >= 0 else { throw config.error("threshold", "cannot be negative, found \(threshold)") }
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try Shapes.single(inputs, Self.className)]
    }
}
