/// Thresholded rectified linear unit.
///
/// `f(x) = x if x > theta else 0`. Output shape: the input's. No weights; MACs 0.
public struct ThresholdedReLUOp: Operator {
    public var family: String { "thresholded_re_lu" }
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .activation }


    public let theta: Double


    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try Shapes.single(inputs, sourceClass)]
    }

    /// Every property, as a reader sets them.
    public init(theta: Double) {
        self.theta = theta
    }
}
