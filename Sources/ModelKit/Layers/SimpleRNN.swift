/// A fully connected recurrent layer: `h_t = activation(x_t·kernel + h_{t-1}·recurrent_kernel + bias)`.
///
/// Input `(batch, time, features)`; output `(batch, units)`, or `(batch, time, units)` with
/// `return_sequences`; `return_state` adds the final state `(batch, units)`.
/// Weights (cell `simple_rnn_cell`): kernel `(features, units)`, recurrent_kernel
/// `(units, units)`, bias `(units,)`.
/// MACs: timesteps × (features·units + units·units).
/// Upstream: keras/src/layers/rnn/simple_rnn.py.
public struct SimpleRNN: DenseRecurrentLayer {
    public static let className = "SimpleRNN"
    public static let category = LayerCategory.kernel
    public static let summary = "A basic recurrent layer that reads a sequence step by step, mixing each input with its previous output; owns an input kernel, a recurrent kernel and a bias."

    /// The shared RNN options (`return_sequences`, `return_state`, ...).
    public let options: RecurrentOptions
    /// The step cell: gates, units, bias, weight-name prefix.
    public let cell: RecurrentCell

    public init(config: LayerConfig) throws {
        options = try RecurrentOptions(config: config)
        cell = RecurrentCell(gates: .simple, units: try config.positiveInt("units"),
                             useBias: try config.bool("use_bias", default: true), name: "simple_rnn_cell")
    }
}
