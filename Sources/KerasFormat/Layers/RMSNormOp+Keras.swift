import ModelKit

extension RMSNormOp {
    public init(config: LayerConfig) throws {
        var axis: NormalizationAxes
        axis = try NormalizationAxes(config: config)
        self.init(axis: axis)
        epsilon = try config.has("epsilon") ? config.double("epsilon", default: 1e-6) : 1e-6
    }
}
