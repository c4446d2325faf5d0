import ModelKit

extension ConcatOp {
    public init(config: LayerConfig) throws {
        var axis: Int
        axis = try config.int("axis", default: -1)
        self.init(axis: axis)
    }
}
