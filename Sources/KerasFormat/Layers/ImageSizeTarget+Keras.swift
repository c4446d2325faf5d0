import ModelKit

extension ImageSizeTarget {
    public init(config: LayerConfig) throws {
        var height: Int
        var width: Int
        var channelsFirst: Bool
        height = try config.positiveInt("height")
        width = try config.positiveInt("width")
        channelsFirst = try config.channelsFirst()
        self.init(height: height, width: width, channelsFirst: channelsFirst)
    }
}
