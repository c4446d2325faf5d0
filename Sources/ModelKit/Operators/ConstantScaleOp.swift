/// `inputs[0] + inputs[1] * scale` with a fixed `scale`: the scaled residual sum of an
/// Inception-ResNet block.
///
/// Two inputs of compatible shapes (broadcast as in `ElementwiseMerge`); output their
/// common shape. No weights. MACs: 0 (counted like an element-wise merge).
public struct ConstantScaleOp: Operator {
    public var family: String { "constant_scale" }
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .merge }


    public let scale: Double


    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        guard inputs.count == 2 else {
            throw LayerError("\(sourceClass) must be called on 2 inputs, found \(inputs.count): \(inputs.map(\.description).joined(separator: ", "))")
        }
        return [try ElementwiseMerge.outputShape(inputs, sourceClass)]
    }

    /// Every property, as a reader sets them.
    public init(scale: Double) {
        self.scale = scale
    }
}
