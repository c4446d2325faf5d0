/// An LSTM whose gate matmuls are convolutions, over 1, 2 or 3 spatial axes, run over the
/// time axis of `(batch, time, *spatial, channels)` (channels-first: `(batch, time,
/// channels, *spatial)`).
///
/// Output per step: the spatial sizes of a forward convolution with this window, and
/// `filters` channels; `options` decide whether every step or only the last is returned and
/// whether the two states `(h, c)` follow.
/// Weights (cell `conv_lstm_cell`): kernel `(*kernelSize, channels, 4·filters)`,
/// recurrent_kernel `(*kernelSize, filters, 4·filters)`, bias `(4·filters,)`.
/// MACs: timesteps × output positions × kernel volume × (channels + filters) × 4·filters
/// (the input convolution plus the recurrent one, which runs at stride 1 with same padding).
public struct ConvLSTMOp: Sendable, Equatable {
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""

    /// Spatial rank: 1, 2 or 3.
    public let rank: Int
    /// Output channels.
    public let filters: Int
    /// The kernel's size, one entry per spatial axis.
    public let kernelSize: [Int]
    /// One stride per spatial axis.
    public let strides: [Int]
    /// One dilation per spatial axis.
    public let dilation: [Int]
    /// `valid` or `same`.
    public let padding: String
    /// True when the channel axis comes before the spatial axes.
    public let channelsFirst: Bool
    /// Whether the cell adds a bias.
    public let useBias: Bool
    /// The sequence options every recurrent operator shares (returned steps and states,
    /// direction).
    public let options: RecurrentOptions
    /// The candidate's and the output's activation (Keras's `activation`, tanh by default).
    public var activation: ActivationFunction = .tanh
    /// The gates' activation (`recurrent_activation`, sigmoid by default).
    public var recurrentActivation: ActivationFunction = .sigmoid


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
            throw LayerError("\(layer) needs known spatial sizes (its kernels are built for static spatial dimensions), found \(inputs[0])")
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
