import ModelKit

extension ConvLSTMOp {
    /// ConvLSTM1D, ConvLSTM2D and ConvLSTM3D (keras/src/layers/rnn/conv_lstm.py:
    /// `ConvLSTMCell.build`, `ConvLSTMCell.compute_output_shape`,
    /// `ConvLSTM.compute_output_shape`): `filters`, `kernel_size`, `strides`, `dilation_rate`,
    /// `padding` (valid or same), `data_format`, `use_bias` and the RNN options
    /// (`return_sequences`, `return_state`, ...; no `time_major`). Keras builds the cell only
    /// on static spatial dimensions, hence the error on unknown ones.
    public init(rank: Int, config: LayerConfig) throws {
        var filters: Int
        var kernelSize: [Int]
        var strides: [Int]
        var dilation: [Int]
        var padding: String
        var channelsFirst: Bool
        var useBias: Bool
        var options: RecurrentOptions
        filters = try config.positiveInt("filters")
        kernelSize = try config.intTuple("kernel_size", count: rank)
        strides = try config.intTuple("strides", count: rank, default: Array(repeating: 1, count: rank))
        dilation = try config.intTuple("dilation_rate", count: rank, default: Array(repeating: 1, count: rank))
        padding = try config.padding()
        guard padding == "valid" || padding == "same" else {
            throw config.error("padding", "ConvLSTM accepts \"valid\" or \"same\", found \"\(padding)\"")
        }
        if strides.contains(where: { $0 > 1 }) && dilation.contains(where: { $0 > 1 }) {
            throw config.error("strides", "strides \(strides) > 1 cannot be combined with dilation_rate \(dilation) > 1")
        }
        channelsFirst = try config.channelsFirst()
        useBias = try config.bool("use_bias", default: true)
        options = try RecurrentOptions(config: config)
        guard !options.timeMajor else { throw config.error("time_major", "ConvLSTM has no time-major form") }
        self.init(rank: rank, filters: filters, kernelSize: kernelSize, strides: strides, dilation: dilation, padding: padding, channelsFirst: channelsFirst, useBias: useBias, options: options)
        activation = try KerasRecurrent.activation(config, "activation", default: .tanh)
        recurrentActivation = try KerasRecurrent.activation(config, "recurrent_activation", default: .sigmoid)
    }
}
