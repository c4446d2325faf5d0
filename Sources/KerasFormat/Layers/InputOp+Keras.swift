import ModelKit

extension InputOp {
    /// InputLayer: Keras 3 saves `batch_shape` (or `shape` without the batch); Keras 2
    /// `batch_input_shape`.
    public init(config: LayerConfig) throws {
        var shape: TensorShape
        var dtype: DType
        if let b = try config.shape("batch_shape") ?? config.shape("batch_input_shape") {
            shape = TensorShape(b.map { $0 == -1 ? nil : $0 })
        } else if let s = try config.shape("shape") {
            shape = TensorShape([nil] + s.map { $0 == -1 ? nil : $0 })
        } else {
            throw config.error(nil, "an InputLayer needs \"batch_shape\" (Keras 3) or \"batch_input_shape\" (Keras 2)")
        }
        dtype = config.dtypePolicy()
        self.init(shape: shape, dtype: dtype)
    }
}
