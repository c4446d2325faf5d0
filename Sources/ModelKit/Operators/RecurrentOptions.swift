/// How a recurrent operator runs over its sequence: which steps it returns, whether its
/// final states follow, which way it reads and which axis is time. Computes the output
/// shapes from the per-step output.
public struct RecurrentOptions: Sendable, Equatable {
    /// Output every step, not only the last.
    public let returnSequences: Bool
    /// The final states follow the output(s).
    public let returnState: Bool
    /// Read the sequence from the end; the steps come out in the order read (no effect on
    /// shapes).
    public let goBackwards: Bool
    /// Keep states between batches (no effect on shapes).
    public let stateful: Bool
    /// The input is `(time, batch, features)` rather than `(batch, time, features)`.
    public let timeMajor: Bool
    /// A step the padding mask leaves out outputs zeros (else the previous step's output);
    /// its states keep their previous values either way. No effect on shapes.
    public var zeroOutputForMask = false

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
    /// the output (whole sequence or last step), then `stateCount` states when `returnState`.
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
