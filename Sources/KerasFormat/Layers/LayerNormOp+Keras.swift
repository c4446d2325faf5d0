import ModelKit

extension LayerNormOp {
    /// LayerNormalization (keras/src/layers/normalization/layer_normalization.py, `build`,
    /// Keras 3.15): `axis`, `center`, `scale`, `epsilon` (default 1e-3) and Keras 3's deprecated
    /// `rms_scaling`, which divides by the (centred) variance and does not centre. The engine
    /// computes keras/src/ops/nn.py's `layer_normalization`.
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
