import ModelKit

extension SoftmaxOp {
    /// Softmax (keras/src/layers/activations/softmax.py): `axis`, an int or a list of ints
    /// (default -1).
    public init(config: LayerConfig) throws {
        var axes: [Int]
        axes = try config.intList("axis") ?? [-1]
        guard !axes.isEmpty else { throw config.error("axis", "expected an axis, found an empty list") }
        self.init(axes: axes)
    }
}
