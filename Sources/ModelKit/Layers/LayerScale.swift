/// `LayerScale` of Keras's ConvNeXt (keras/src/applications/convnext.py): multiplies the
/// input by a learned per-channel vector.
///
/// Input `(..., projection_dim)`; output the same shape. One trainable weight of shape
/// `(projection_dim,)`, created with `add_weight` and no name, so Keras 3 calls it `variable`
/// (tf.keras 2: a `tf.Variable` named `Variable`). MACs: 1 per output element (one multiply
/// each, counted like the scale of a normalization layer).
public struct LayerScale: LayerKind {
    public static let className = "LayerScale"
    public static let category = LayerCategory.other
    public static let summary = "Multiplies each channel by a learned factor, initially tiny (ConvNeXt); owns one number per channel."

    public let projectionDim: Int

    public init(config: LayerConfig) throws {
        projectionDim = try config.positiveInt("projection_dim")
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, Self.className)
        guard input.rank >= 1 else { throw LayerError("LayerScale needs an input with a channel axis, found \(input)") }
        var out = input
        if let c = input.dim(-1) {
            guard c == projectionDim || c == 1 else {
                throw LayerError("LayerScale with projection_dim \(projectionDim) cannot scale input \(input) (last axis \(c))")
            }
            out[input.rank - 1] = projectionDim
        }
        return [out]
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        [WeightSpec("variable", [projectionDim])]
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        outputs.first?.elementCount(batch: 1)
    }
}
