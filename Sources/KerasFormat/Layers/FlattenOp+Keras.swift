import ModelKit

extension FlattenOp {
    public init(config: LayerConfig) throws {
        var channelsFirst: Bool
        channelsFirst = try config.channelsFirst()
        self.init(channelsFirst: channelsFirst)
    }
}
