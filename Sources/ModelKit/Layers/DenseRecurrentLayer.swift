/// Shared behaviour of `SimpleRNN`, `LSTM` and `GRU`: a dense cell run over the time axis of
/// a `(batch, time, features)` input (keras/src/layers/rnn/rnn.py).
///
/// Call arguments after the sequence are initial states; they do not change shapes or weights.
/// MACs: timesteps × (features·g·units + units·g·units), g the cell's gate count.
public protocol DenseRecurrentLayer: LayerKind {
    var options: RecurrentOptions { get }
    var cell: RecurrentCell { get }
}

extension DenseRecurrentLayer {
    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let (batch, steps, _) = try options.split(inputs, rank: 3, Self.className)
        return options.outputs(batch: batch, steps: steps, stepOutput: [cell.units], stateCount: cell.stateCount)
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        let (_, _, step) = try options.split(inputs, rank: 3, Self.className)
        guard let features = step.last ?? nil else {
            throw LayerError("\(Self.className) needs a known feature size (last axis) of input \(inputs[0])")
        }
        return try cell.weights(inputDim: features)
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        guard let (_, steps, step) = try? options.split(inputs, rank: 3, Self.className),
              let steps, let features = step.last ?? nil,
              let perStep = cell.stepMACs(inputDim: features) else { return nil }
        return checkedProduct([steps, perStep])
    }
}
