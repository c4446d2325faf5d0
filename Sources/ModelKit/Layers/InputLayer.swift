/// The model's entry point: its output is the declared input shape.
/// Keras 3 saves `batch_shape` (or `shape` without the batch); Keras 2 `batch_input_shape`.
public struct InputLayer: LayerKind {
    public static let className = "InputLayer"
    public static let category = LayerCategory.input
    public static let summary = "Declares the shape of the data that enters the model; no computation, no weights."

    public let shape: TensorShape
    public let dtype: DType

    public init(shape: TensorShape, dtype: DType = .float32) {
        self.shape = shape
        self.dtype = dtype
    }

    public init(config: LayerConfig) throws {
        if let b = try config.shape("batch_shape") ?? config.shape("batch_input_shape") {
            shape = TensorShape(b.map { $0 == -1 ? nil : $0 })
        } else if let s = try config.shape("shape") {
            shape = TensorShape([nil] + s.map { $0 == -1 ? nil : $0 })
        } else {
            throw config.error(nil, "an InputLayer needs \"batch_shape\" (Keras 3) or \"batch_input_shape\" (Keras 2)")
        }
        dtype = config.dtypePolicy()
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { [inputs.first ?? shape] }
}
