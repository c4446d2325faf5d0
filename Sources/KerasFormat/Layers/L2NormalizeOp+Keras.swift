import ModelKit

extension L2NormalizeOp {
    /// UnitNormalization (keras/src/layers/normalization/unit_normalization.py): `axis`. The
    /// engine computes keras/src/ops/nn.py's `normalize`: `x * min(rsqrt(sum x²), 1 / epsilon)`,
    /// epsilon 1e-12.
    public init(config: LayerConfig) throws {
        var axis: NormalizationAxes
        axis = try NormalizationAxes(config: config)
        self.init(axis: axis)
    }
}
