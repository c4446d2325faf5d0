import ModelKit

extension ConcatOp {
    /// Concatenate (keras/src/layers/merging/concatenate.py): `axis`, default -1.
    public init(config: LayerConfig) throws {
        var axis: Int
        axis = try config.int("axis", default: -1)
        self.init(axis: axis)
    }
}
