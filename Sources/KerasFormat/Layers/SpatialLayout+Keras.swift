import ModelKit

extension SpatialLayout {
    /// Reads `data_format` from the config (default `channels_last`).
    public init(config: LayerConfig, spatialRank: Int) throws {
        self.init(spatialRank: spatialRank, channelsFirst: try config.channelsFirst())
    }
}
