import ModelKit

extension LayerNormOp {
    public init(config: LayerConfig) throws {
        var axis: NormalizationAxes
        var center: Bool
        var scale: Bool
        var rmsScaling: Bool
        axis = try NormalizationAxes(config: config)
        center = try config.bool("center", default: true)
        scale = try config.bool("scale", default: true)
        rmsScaling = try config.bool("rms_scaling", default: false)
        self.init(axis: axis, center: center, scale: scale, rmsScaling: rmsScaling)
        epsilon = try config.double("epsilon", default: 1e-3)
    }
}
