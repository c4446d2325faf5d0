/// The options every Keras `RNN` subclass shares (keras/src/layers/rnn/rnn.py):
/// `return_sequences`, `return_state`, `go_backwards`, `stateful`, plus tf.keras's
/// `time_major`. Computes the output shapes as `RNN.compute_output_shape` does.
public struct RecurrentOptions: Sendable, Equatable {
    /// `return_sequences`: output every step, not only the last.
    public let returnSequences: Bool
    /// The wrapped layer's `return_state`: states follow the output(s).
    public let returnState: Bool
    /// `go_backwards`: read the sequence from the end (no effect on shapes).
    public let goBackwards: Bool
    /// `stateful`: keep states between batches (no effect on shapes).
    public let stateful: Bool
    /// tf.keras only: the input is `(time, batch, features)`.
    public let timeMajor: Bool

    public init(returnSequences: Bool = false, returnState: Bool = false, goBackwards: Bool = false,
                stateful: Bool = false, timeMajor: Bool = false) {
        self.returnSequences = returnSequences
        self.returnState = returnState
        self.goBackwards = goBackwards
        self.stateful = stateful
        self.timeMajor = timeMajor
    }


    /// Splits the sequence input (the first argument; later arguments are initial states)
    /// into batch, timesteps and the per-step shape, checking its rank.
    public func split(_ inputs: [TensorShape], rank: Int, _ layer: String) throws -> (batch: Int?, steps: Int?, step: [Int?]) {
        let seq = try Shapes.single(inputs, layer)
        try Shapes.require(seq, rank: rank, layer)
        if timeMajor { return (seq[1], seq[0], Array(seq.dims.dropFirst(2))) }
        return (seq[0], seq[1], Array(seq.dims.dropFirst(2)))
    }

    /// Output shapes given the per-step output shape (`[units]` for a dense cell):
    /// the output (whole sequence or last step), then `stateCount` states when `return_state`.
    public func outputs(batch: Int?, steps: Int?, stepOutput: [Int?], stateCount: Int) -> [TensorShape] {
        let output: TensorShape
        if returnSequences {
            output = TensorShape(timeMajor ? [steps, batch] + stepOutput : [batch, steps] + stepOutput)
        } else {
            output = TensorShape([batch] + stepOutput)
        }
        guard returnState else { return [output] }
        let state = TensorShape([batch] + stepOutput)
        return [output] + Array(repeating: state, count: stateCount)
    }
}
