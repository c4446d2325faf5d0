/// Rectified linear unit with optional cap, slope and threshold: values above `threshold`
/// pass (capped at `maxValue`), values below become `negativeSlope * (x - threshold)`.
///
/// Output shape: the input's. No weights; MACs 0.
public struct ReLUOp: Operator {
    public var family: String { "re_lu" }
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .activation }


    public let maxValue: Double?
    public let negativeSlope: Double
    public let threshold: Double


    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try Shapes.single(inputs, sourceClass)]
    }

    /// Every property, as a reader sets them.
    public init(maxValue: Double?, negativeSlope: Double, threshold: Double) {
        self.maxValue = maxValue
        self.negativeSlope = negativeSlope
        self.threshold = threshold
    }
}
