import ModelKit

extension RecurrentOptions {
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
    }
}
