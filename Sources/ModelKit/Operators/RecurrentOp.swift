/// A dense recurrent cell run over the time axis of a `(batch, time, features)` input: the
/// simple cell `h = act(x·W + h·U + b)`, the LSTM (four gates, a separate cell state) or the
/// GRU (three gates); `RecurrentCell` says which.
///
/// Output `(batch, units)`, or `(batch, time, units)` when every step is returned; returning
/// the state adds the final states `(batch, units)` (two for the LSTM). Call arguments after
/// the sequence are initial states; they do not change shapes or weights.
/// Weights: the cell's kernel `(features, g·units)`, recurrent kernel `(units, g·units)` and
/// bias, g the gate count. MACs: timesteps × (features·g·units + units·g·units).
public struct RecurrentOp: Operator {
    /// Sequence handling: returned steps and states, direction, time axis.
    public var options: RecurrentOptions
    /// The step cell: gates, units, bias, activations, weight-name prefix.
    public var cell: RecurrentCell
    public var sourceClass: String

    public init(options: RecurrentOptions, cell: RecurrentCell, sourceClass: String = "") {
        self.options = options
        self.cell = cell
        self.sourceClass = sourceClass
    }

    public var family: String { "recurrent" }
    public var category: LayerCategory { .kernel }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let (batch, steps, _) = try options.split(inputs, rank: 3, sourceClass)
        return options.outputs(batch: batch, steps: steps, stepOutput: [cell.units], stateCount: cell.stateCount)
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        let (_, _, step) = try options.split(inputs, rank: 3, sourceClass)
        guard let features = step.last ?? nil else {
            throw LayerError("\(sourceClass) needs a known feature size (last axis) of input \(inputs[0])")
        }
        return try cell.weights(inputDim: features)
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        guard let (_, steps, step) = try? options.split(inputs, rank: 3, sourceClass),
              let steps, let features = step.last ?? nil,
              let perStep = cell.stepMACs(inputDim: features) else { return nil }
        return checkedProduct([steps, perStep])
    }
}
