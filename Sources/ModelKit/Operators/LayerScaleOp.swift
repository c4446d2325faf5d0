/// Multiplies the input by a learned per-channel vector (the layer scale of a ConvNeXt block).
///
/// Input `(..., projectionDim)`; output the same shape. One trainable weight `variable` of
/// shape `(projectionDim,)`. MACs: 1 per output element (one multiply each, counted like the
/// scale of a normalization layer).
public struct LayerScaleOp: Operator {
    public var family: String { "layer_scale" }
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .other }


    public let projectionDim: Int


    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, sourceClass)
        guard input.rank >= 1 else { throw LayerError("\(sourceClass) needs an input with a channel axis, found \(input)") }
        var out = input
        if let c = input.dim(-1) {
            guard c == projectionDim || c == 1 else {
                throw LayerError("\(sourceClass) with projection_dim \(projectionDim) cannot scale input \(input) (last axis \(c))")
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

    /// Every property, as a reader sets them.
    public init(projectionDim: Int) {
        self.projectionDim = projectionDim
    }
}
