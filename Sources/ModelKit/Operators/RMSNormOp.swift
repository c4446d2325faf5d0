/// RMS normalization: divides by the root mean square over `axis` (`epsilon` added to the
/// mean square) and applies a learned scale.
///
/// Output shape = input shape. One trainable weight `scale` of shape `(input[axis],)`, or the
/// sizes on the sorted axes for a list. MACs: 1 per output element (by convention).
public struct RMSNormOp: Operator {
    public var family: String { "rms_norm" }
    /// Added to the mean square before the square root.
    public var epsilon: Double = 1e-6
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .normalization }


    public let axis: NormalizationAxes


    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try axis.outputShapes(inputs, sourceClass) }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        let input = try Shapes.single(inputs, sourceClass)
        return [WeightSpec("scale", try axis.featureShape(input, sourceClass))]
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        outputs.first?.elementCount(batch: 1)
    }

    /// Every property, as a reader sets them.
    public init(axis: NormalizationAxes) {
        self.axis = axis
    }
}
