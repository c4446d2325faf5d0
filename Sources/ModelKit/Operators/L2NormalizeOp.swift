/// Scales each sample to L2 norm 1 over `axis` (one axis or several):
/// `x * min(1 / sqrt(sum x²), 1e12)`, so an all-zero row stays zero.
///
/// Output shape = input shape; no weights. MACs: 1 per output element (by convention).
public struct L2NormalizeOp: Operator {
    public var family: String { "l2_normalize" }
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .normalization }


    public let axis: NormalizationAxes


    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try axis.outputShapes(inputs, sourceClass) }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        outputs.first?.elementCount(batch: 1)
    }

    /// Every property, as a reader sets them.
    public init(axis: NormalizationAxes) {
        self.axis = axis
    }
}
