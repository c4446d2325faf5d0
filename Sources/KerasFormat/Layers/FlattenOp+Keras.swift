import ModelKit

extension FlattenOp {
    /// Flatten (keras/src/layers/reshaping/flatten.py): `data_format`, which only changes the
    /// order of the values, not the shape.
    public init(config: LayerConfig) throws {
        var channelsFirst: Bool
        channelsFirst = try config.channelsFirst()
        self.init(channelsFirst: channelsFirst)
    }
}
