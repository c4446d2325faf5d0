import ModelKit

extension ResizeOp {
    public init(config: LayerConfig) throws {
        var target: ImageSizeTarget
        var interpolation: String
        var cropToAspectRatio: Bool
        var padToAspectRatio: Bool
        target = try ImageSizeTarget(config: config)
        interpolation = try config.string("interpolation", default: "bilinear")
        cropToAspectRatio = try config.bool("crop_to_aspect_ratio", default: false)
        padToAspectRatio = try config.bool("pad_to_aspect_ratio", default: false)
        guard !(cropToAspectRatio && padToAspectRatio) else {
            throw config.error("pad_to_aspect_ratio", "only one of \"crop_to_aspect_ratio\" and \"pad_to_aspect_ratio\" can be true")
        }
        self.init(target: target, interpolation: interpolation, cropToAspectRatio: cropToAspectRatio, padToAspectRatio: padToAspectRatio)
    }
}
