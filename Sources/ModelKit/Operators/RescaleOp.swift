/// `x * scale + offset`, the scale and the offset each a number or a per-channel list.
///
/// Output shape = input shape; no weights. MACs: 0 (by convention: not a normalization layer).
public struct RescaleOp: Operator {
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .preprocessing }



    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try Shapes.single(inputs, sourceClass)]
    }

    /// Every property, as a reader sets them.
    public init() {

    }
}
