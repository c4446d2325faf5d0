/// Keras `RandomRotation` (keras/src/layers/preprocessing/image_preprocessing/random_rotation.py): a random image
/// augmentation, active only in training.
///
/// Output shape = input shape. No weights (the random seed state is a variable Keras keeps
/// out of `weights` and `count_params`). MACs: 0 (an identity at inference).
public struct RandomRotation: LayerKind {
    public static let className = "RandomRotation"
    public static let category = LayerCategory.preprocessing
    public static let summary = "During training rotates images by a random angle; does nothing at inference; no weights."

    public init(config: LayerConfig) throws {}

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try Shapes.single(inputs, Self.className)]
    }
}
