/// The model's entry point: its output is the declared input shape.
public struct InputOp: Operator {
    public var family: String { "input" }
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .input }


    public let shape: TensorShape
    public let dtype: DType

    public init(shape: TensorShape, dtype: DType = .float32) {
        self.shape = shape
        self.dtype = dtype
    }


    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { [inputs.first ?? shape] }
}
