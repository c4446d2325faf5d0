import ModelKit

extension ImageSizeTarget {
    /// `height`, `width` and `data_format` of Resizing, CenterCrop and RandomCrop; the shape
    /// rule is keras/src/layers/preprocessing/image_preprocessing/resizing.py,
    /// `compute_output_shape`.
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
