import ModelKit

extension TimeDistributedOp {
    /// TimeDistributed (keras/src/layers/rnn/time_distributed.py): `layer`. Keras 3 paths the
    /// inner weights below the inner layer's name (`td_dense/dense/kernel`); the engine runs the
    /// inner layer once with batch and time folded together, `(batch·time, ...)`, as Keras does.
    public init(config: LayerConfig) throws {
        var inner: WrappedLayer
        inner = try WrappedLayer(config, key: "layer")
        self.init(inner: inner)
    }
}
