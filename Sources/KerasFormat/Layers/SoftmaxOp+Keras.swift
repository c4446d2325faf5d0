import ModelKit

extension SoftmaxOp {
    public init(config: LayerConfig) throws {
        var axes: [Int]
        axes = try config.intList("axis") ?? [-1]
        guard !axes.isEmpty else { throw config.error("axis", "expected an axis, found an empty list") }
        self.init(axes: axes)
    }
}
