/// `CustomScaleLayer` of Keras's InceptionResNetV2 (keras/src/applications/inception_resnet_v2.py):
/// `inputs[0] + inputs[1] * scale`, the scaled residual sum of an Inception-ResNet block.
///
/// Two inputs of compatible shapes (broadcast as in `ElementwiseMerge`); output their
/// common shape. No weights. MACs: 0 (counted like an element-wise merge).
public struct CustomScaleLayer: LayerKind {
    public static let className = "CustomScaleLayer"
    public static let category = LayerCategory.merge
    public static let summary = "Adds a residual branch, multiplied by a fixed small scale, to the block's input (InceptionResNetV2); no weights."

    public let scale: Double

    public init(config: LayerConfig) throws {
        scale = try config.double("scale", default: 1)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        guard inputs.count == 2 else {
            throw LayerError("CustomScaleLayer must be called on 2 inputs, found \(inputs.count): \(inputs.map(\.description).joined(separator: ", "))")
        }
        return [try ElementwiseMerge.outputShape(inputs, Self.className)]
    }
}
