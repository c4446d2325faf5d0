import ModelKit

extension RMSNormOp {
    /// RMSNormalization (keras/src/layers/normalization/rms_normalization.py, `build`; the
    /// engine computes keras/src/ops/nn.py's `rms_normalization`): `axis`, `epsilon` (default
    /// 1e-6).
    public init(config: LayerConfig) throws {
        var axis: NormalizationAxes
        axis = try NormalizationAxes(config: config)
        self.init(axis: axis)
        epsilon = try config.has("epsilon") ? config.double("epsilon", default: 1e-6) : 1e-6
    }
}
