/// An LSTM whose gates are 3D convolutions: input `(batch, time, depth, rows, cols, channels)` (or channels first
/// after the time axis); output the convolved step shape with `filters` channels, for the last
/// step or, with `return_sequences`, every step; `return_state` adds `state_h` and `state_c`.
///
/// Weights (cell `conv_lstm_cell`): kernel `(*kernel_size, channels, 4·filters)`,
/// recurrent_kernel `(*kernel_size, filters, 4·filters)`, bias `(4·filters,)`.
/// MACs: timesteps × output positions × kernel volume × (channels + filters) × 4·filters.
/// Upstream: keras/src/layers/rnn/conv_lstm3d.py and conv_lstm.py.
public struct ConvLSTM3D: LayerKind {
    public static let className = "ConvLSTM3D"
    public static let category = LayerCategory.kernel
    public static let summary = "An LSTM whose gates are 3D convolutions, for sequences of 3D grids (e.g. video frames); owns an input kernel, a recurrent kernel and a bias for its four gates."

    /// Geometry, options and weight rules shared by the ConvLSTM layers.
    public let core: ConvLSTMCore

    public init(config: LayerConfig) throws {
        core = try ConvLSTMCore(rank: 3, config: config)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try core.outputShapes(inputs, Self.className) }
    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] { try core.weights(inputs, Self.className) }
    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? { core.macs(inputs, Self.className) }
}
