/// Gated recurrent unit: a recurrent layer with update and reset gates.
///
/// Input `(batch, time, features)`; output `(batch, units)`, or `(batch, time, units)` with
/// `return_sequences`; `return_state` adds the final state `(batch, units)`.
/// Weights (cell `gru_cell`): kernel `(features, 3·units)`, recurrent_kernel
/// `(units, 3·units)`, bias `(2, 3·units)` when `reset_after` (the default since Keras 2.3:
/// separate input and recurrent biases) or `(3·units,)` otherwise.
/// MACs: timesteps × (features·3·units + units·3·units).
/// Upstream: keras/src/layers/rnn/gru.py.
public struct GRU: DenseRecurrentLayer {
    public static let className = "GRU"
    public static let category = LayerCategory.kernel
    public static let summary = "A recurrent layer with update and reset gates, lighter than an LSTM; owns an input kernel, a recurrent kernel and a bias for its three gates."

    /// The shared RNN options (`return_sequences`, `return_state`, ...).
    public let options: RecurrentOptions
    /// The step cell: gates, units, bias, weight-name prefix.
    public let cell: RecurrentCell

    public init(config: LayerConfig) throws {
        options = try RecurrentOptions(config: config)
        let resetAfter = try config.bool("reset_after", default: true)
        cell = RecurrentCell(gates: .gru(resetAfter: resetAfter), units: try config.positiveInt("units"),
                             useBias: try config.bool("use_bias", default: true), name: "gru_cell")
    }
}
