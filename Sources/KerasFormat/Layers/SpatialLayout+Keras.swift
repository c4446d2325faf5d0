import ModelKit

extension SpatialLayout {
    /// Reads `data_format` from the config (default `channels_last`; `channels_first` sets
    /// `channelsFirst`). `SpatialLayout.check` asks for the rank Keras's
    /// `InputSpec(ndim=spatialRank + 2)` asks for.
    public init(config: LayerConfig, spatialRank: Int) throws {
        self.init(spatialRank: spatialRank, channelsFirst: try config.channelsFirst())
    }
}
