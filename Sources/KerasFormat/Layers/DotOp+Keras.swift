import ModelKit

extension DotOp {
    /// Dot (keras/src/layers/merging/dot.py, `compute_output_shape` and `batch_dot`, which the
    /// engine follows): `axes`, an int (the same axis of both) or a pair, and `normalize`, which
    /// L2-normalizes as keras/src/ops/nn.py's `normalize` does.
    public init(config: LayerConfig) throws {
        var axes: [Int]
        var sameAxisForBoth: Bool
        var normalize: Bool
        guard let v = config["axes"], !v.isNull else { throw config.error("axes", "missing key \"axes\"") }
        if let i = v.intValue {
            axes = [i]
            sameAxisForBoth = true
        } else if let a = v.arrayValue, a.count == 2, let x = a[0].intValue, let y = a[1].intValue {
            axes = [x, y]
            sameAxisForBoth = false
        } else {
            throw config.error("axes", "expected a whole number or a pair of whole numbers, found \(v.brief)")
        }
        normalize = try config.bool("normalize", default: false)
        self.init(axes: axes, sameAxisForBoth: sameAxisForBoth, normalize: normalize)
    }
}
