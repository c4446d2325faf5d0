import ModelKit

extension DotOp {
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
