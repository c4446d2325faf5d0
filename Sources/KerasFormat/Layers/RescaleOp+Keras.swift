import ModelKit

extension RescaleOp {
    public init(config: LayerConfig) throws {
        guard config["scale"] != nil else { throw config.error("scale", "missing key \"scale\"") }
        self.init()
    }
}
