/// Keras `RandomCrop` (keras/src/layers/preprocessing/image_preprocessing/random_crop.py): during
/// training cuts a random `height` x `width` window out of each image; at inference it takes
/// the central window (resizing first when the input is smaller).
///
/// Output: the input image(s) with height and width set to `height` and `width` (see
/// `ImageSizeTarget`), in training and at inference. No weights. MACs: 0.
public struct RandomCrop: LayerKind {
    public static let className = "RandomCrop"
    public static let category = LayerCategory.preprocessing
    public static let summary = "Cuts a window of fixed height and width out of each image (at random in training, the centre at inference); no weights."

    public let target: ImageSizeTarget

    public init(config: LayerConfig) throws {
        target = try ImageSizeTarget(config: config)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try target.outputShape(Shapes.single(inputs, Self.className), Self.className)]
    }
}
