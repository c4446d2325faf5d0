/// `x * scale + offset`, the scale and the offset each a number or a per-channel list.
///
/// Output shape = input shape; no weights. MACs: 0 (by convention: not a normalization layer).
public struct RescaleOp: Operator {
    public var family: String { "rescale" }
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .preprocessing }
    /// The factor: one number, or one per position along the last axis.
    public var scale: [Double] = [1]
    /// The offset added after scaling, shaped like `scale`.
    public var offset: [Double] = [0]

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try Shapes.single(inputs, sourceClass)]
    }

    /// Every property, as a reader sets them.
    public init(scale: [Double] = [1], offset: [Double] = [0]) {
        self.scale = scale
        self.offset = offset
    }
}
