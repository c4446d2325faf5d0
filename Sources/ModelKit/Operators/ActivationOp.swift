/// Applies one element-wise activation function to its input.
///
/// Output shape: the input's, as the source format reports it (even for a function whose
/// real output changes the last axis, such as `glu`, which the engine does not run).
/// No weights; MACs 0.
public struct ActivationOp: Operator {
    /// The function, resolved by the reader.
    public var function: ActivationFunction
    public var sourceClass: String

    public init(function: ActivationFunction, sourceClass: String = "") {
        self.function = function
        self.sourceClass = sourceClass
    }

    public var family: String { "activation" }
    public var category: LayerCategory { .activation }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try Shapes.single(inputs, sourceClass)]
    }
}
