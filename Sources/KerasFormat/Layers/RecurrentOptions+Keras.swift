import ModelKit

extension RecurrentOptions {
    /// The options every Keras `RNN` subclass shares (keras/src/layers/rnn/rnn.py, whose
    /// `compute_output_shape` `RecurrentOptions.outputs` follows): `return_sequences`,
    /// `return_state`, `go_backwards`, `stateful`, plus tf.keras's `time_major`. With
    /// `go_backwards` Keras returns the steps in the order it read them, and so does the engine.
    public init(config: LayerConfig) throws {
        var returnSequences: Bool
        var returnState: Bool
        var goBackwards: Bool
        var stateful: Bool
        var timeMajor: Bool
        returnSequences = try config.bool("return_sequences", default: false)
        returnState = try config.bool("return_state", default: false)
        goBackwards = try config.bool("go_backwards", default: false)
        stateful = try config.bool("stateful", default: false)
        timeMajor = try config.bool("time_major", default: false)
        self.init(returnSequences: returnSequences, returnState: returnState, goBackwards: goBackwards, stateful: stateful, timeMajor: timeMajor)
        zeroOutputForMask = try config.bool("zero_output_for_mask", default: false)
    }
}
