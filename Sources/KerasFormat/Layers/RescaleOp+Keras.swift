import ModelKit

extension RescaleOp {
    /// Rescaling (keras/src/layers/preprocessing/rescaling.py): `scale` (required) and
    /// `offset`, numbers or per-channel lists, which the engine reads from the config.
    public init(config: LayerConfig) throws {
        guard config["scale"] != nil else { throw config.error("scale", "missing key \"scale\"") }
        self.init()
    }
}
