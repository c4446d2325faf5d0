/// Softmax along one or more axes.
///
/// Output shape: the input's (an optional mask argument does not change it). No weights;
/// MACs 0.
public struct SoftmaxOp: Operator {
    public var family: String { "softmax" }
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .activation }


    public let axes: [Int]


    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, sourceClass)
        for a in axes where input.normalizedAxis(a) == nil {
            throw LayerError("\(sourceClass) axis \(a) is out of range for input \(input)")
        }
        return [input]
    }

    /// Every property, as a reader sets them.
    public init(axes: [Int]) {
        self.axes = axes
    }
}
