/// Keras `Resizing` (keras/src/layers/preprocessing/image_preprocessing/resizing.py).
///
/// Output: the input image(s) with height and width set to `height` and `width` (see
/// `ImageSizeTarget`). `crop_to_aspect_ratio` and `pad_to_aspect_ratio` (at most one of
/// them) and `interpolation` change the pixels, not the shape. No weights. MACs: 0.
public struct Resizing: LayerKind {
    public static let className = "Resizing"
    public static let category = LayerCategory.preprocessing
    public static let summary = "Resizes images to a fixed height and width (optionally cropping or padding to keep the aspect ratio); no weights."

    public let target: ImageSizeTarget
    public let interpolation: String
    public let cropToAspectRatio: Bool
    public let padToAspectRatio: Bool

    public init(config: LayerConfig) throws {
        target = try ImageSizeTarget(config: config)
        interpolation = try config.string("interpolation", default: "bilinear")
        cropToAspectRatio = try config.bool("crop_to_aspect_ratio", default: false)
        padToAspectRatio = try config.bool("pad_to_aspect_ratio", default: false)
        guard !(cropToAspectRatio && padToAspectRatio) else {
            throw config.error("pad_to_aspect_ratio", "only one of \"crop_to_aspect_ratio\" and \"pad_to_aspect_ratio\" can be true")
        }
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try target.outputShape(Shapes.single(inputs, Self.className), Self.className)]
    }
}
