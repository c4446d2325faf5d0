/// The model's entry point: its output is the declared input shape.
/// Keras 3 saves `batch_shape` (or `shape` without the batch); Keras 2 `batch_input_shape`.
public struct InputOp: Operator {
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
