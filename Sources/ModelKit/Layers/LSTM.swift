/// Long short-term memory: a recurrent layer with input, forget, cell and output gates and a
/// separate cell state.
///
/// Input `(batch, time, features)`; output `(batch, units)`, or `(batch, time, units)` with
/// `return_sequences`; `return_state` adds `state_h` and `state_c`, each `(batch, units)`,
/// so the call has three outputs `[output, state_h, state_c]`.
/// Weights (cell `lstm_cell`): kernel `(features, 4·units)`, recurrent_kernel
/// `(units, 4·units)`, bias `(4·units,)`.
/// MACs: timesteps × (features·4·units + units·4·units).
/// Upstream: keras/src/layers/rnn/lstm.py.
public struct LSTM: DenseRecurrentLayer {
    public static let className = "LSTM"
    public static let category = LayerCategory.kernel
    public static let summary = "A recurrent layer with gates that decide what to remember and forget along a sequence; owns an input kernel, a recurrent kernel and a bias for its four gates."

    /// The shared RNN options (`return_sequences`, `return_state`, ...).
    public let options: RecurrentOptions
    /// The step cell: gates, units, bias, weight-name prefix.
    public let cell: RecurrentCell

    public init(config: LayerConfig) throws {
        options = try RecurrentOptions(config: config)
        cell = RecurrentCell(gates: .lstm, units: try config.positiveInt("units"),
                             useBias: try config.bool("use_bias", default: true), name: "lstm_cell")
    }
}
