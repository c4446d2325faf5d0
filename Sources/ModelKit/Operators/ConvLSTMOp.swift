/// What `ConvLSTM1D`, `ConvLSTM2D` and `ConvLSTM3D` share: an LSTM whose gate matmuls are
/// convolutions, run over the time axis of `(batch, time, *spatial, channels)`
/// (`channels_first`: `(batch, time, channels, *spatial)`).
///
/// Upstream: keras/src/layers/rnn/conv_lstm.py (`ConvLSTMCell.build`,
/// `ConvLSTMCell.compute_output_shape`, `ConvLSTM.compute_output_shape`).
/// Weights (cell `conv_lstm_cell`): kernel `(*kernel_size, channels, 4·filters)`,
/// recurrent_kernel `(*kernel_size, filters, 4·filters)`, bias `(4·filters,)`.
/// MACs: timesteps × output positions × kernel volume × (channels + filters) × 4·filters
/// (the input convolution plus the recurrent one, which runs at stride 1 with same padding).
public struct ConvLSTMOp: Sendable, Equatable {
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""

    /// Spatial rank: 1, 2 or 3.
    public let rank: Int
    /// `filters`: output channels.
    public let filters: Int
    /// `kernel_size`, one entry per spatial axis.
    public let kernelSize: [Int]
    /// `strides`, one entry per spatial axis.
    public let strides: [Int]
    /// `dilation_rate`, one entry per spatial axis.
    public let dilation: [Int]
    /// `padding`: `valid` or `same`.
    public let padding: String
    /// `data_format == channels_first`.
    public let channelsFirst: Bool
    /// `use_bias`.
    public let useBias: Bool
    /// The shared RNN options (`return_sequences`, `return_state`, ...).
    public let options: RecurrentOptions


    struct Geometry {
        var batch: Int?
        var steps: Int?
        var channels: Int?
        var spatialIn: [Int?]
        var spatialOut: [Int?]
    }

    func geometry(_ inputs: [TensorShape], _ layer: String) throws -> Geometry {
        let (batch, steps, step) = try options.split(inputs, rank: rank + 3, layer)
        let channels = channelsFirst ? step.first! : step.last!
        let spatial = channelsFirst ? Array(step.dropFirst()) : Array(step.dropLast())
        var out: [Int?] = []
        for (i, length) in spatial.enumerated() {
            let o = Shapes.windowOutput(length, kernel: kernelSize[i], stride: strides[i], dilation: dilation[i], padding: padding)
            if let o, o <= 0 {
                throw LayerError("\(layer): kernel \(kernelSize) with dilation \(dilation) does not fit the spatial size \(spatial.map { $0.map(String.init) ?? "None" }) of input \(inputs[0]) with valid padding")
            }
            out.append(o)
        }
        return Geometry(batch: batch, steps: steps, channels: channels, spatialIn: spatial, spatialOut: out)
    }

    func outputShapes(_ inputs: [TensorShape], _ layer: String) throws -> [TensorShape] {
        let g = try geometry(inputs, layer)
        let step: [Int?] = channelsFirst ? [filters] + g.spatialOut : g.spatialOut + [filters]
        return options.outputs(batch: g.batch, steps: g.steps, stepOutput: step, stateCount: 2)
    }

    func weights(_ inputs: [TensorShape], _ layer: String) throws -> [WeightSpec] {
        let g = try geometry(inputs, layer)
        guard let channels = g.channels else {
            throw LayerError("\(layer) needs a known channel size of input \(inputs[0])")
        }
        guard !g.spatialIn.contains(where: { $0 == nil }) else {
            throw LayerError("\(layer) needs known spatial sizes (Keras requires static spatial dimensions), found \(inputs[0])")
        }
        let (width, o) = filters.multipliedReportingOverflow(by: 4)
        guard !o else { throw LayerError("4 gates of \(filters) filters overflow") }
        var w = [
            WeightSpec("conv_lstm_cell/kernel", kernelSize + [channels, width]),
            WeightSpec("conv_lstm_cell/recurrent_kernel", kernelSize + [filters, width]),
        ]
        if useBias { w.append(WeightSpec("conv_lstm_cell/bias", [width])) }
        return w
    }

    func macs(_ inputs: [TensorShape], _ layer: String) -> Int? {
        guard let g = try? geometry(inputs, layer), let steps = g.steps, let channels = g.channels,
              let positions = Shapes.product(g.spatialOut), let volume = checkedProduct(kernelSize),
              let perPosition = checkedProduct([volume, channels + filters, 4, filters]) else { return nil }
        return checkedProduct([steps, positions, perPosition])
    }

    /// Every property, as a reader sets them.
    public init(rank: Int, filters: Int, kernelSize: [Int], strides: [Int], dilation: [Int], padding: String, channelsFirst: Bool, useBias: Bool, options: RecurrentOptions) {
        self.rank = rank
        self.filters = filters
        self.kernelSize = kernelSize
        self.strides = strides
        self.dilation = dilation
        self.padding = padding
        self.channelsFirst = channelsFirst
        self.useBias = useBias
        self.options = options
    }
}

extension ConvLSTMOp: Operator {
    public var family: String { "conv_lstm" }
    public var category: LayerCategory { .kernel }
    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try outputShapes(inputs, sourceClass) }
    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] { try weights(inputs, sourceClass) }
    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? { macs(inputs, sourceClass) }
}
