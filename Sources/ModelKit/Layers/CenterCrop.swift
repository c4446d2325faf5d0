/// Keras `CenterCrop` (keras/src/layers/preprocessing/image_preprocessing/center_crop.py).
///
/// Output: the input image(s) with height and width set to `height` and `width` (see
/// `ImageSizeTarget`); a smaller input is resized up first, so any input size is accepted.
/// No weights. MACs: 0.
public struct CenterCrop: LayerKind {
    public static let className = "CenterCrop"
    public static let category = LayerCategory.preprocessing
    public static let summary = "Cuts the central part of each image to a fixed height and width; no weights."

    public let target: ImageSizeTarget

    public init(config: LayerConfig) throws {
        target = try ImageSizeTarget(config: config)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try target.outputShape(Shapes.single(inputs, Self.className), Self.className)]
    }
}
