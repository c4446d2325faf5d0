/// Keras `RandomTranslation` (keras/src/layers/preprocessing/image_preprocessing/random_translation.py): a random image
/// augmentation, active only in training.
///
/// Output shape = input shape. No weights (the random seed state is a variable Keras keeps
/// out of `weights` and `count_params`). MACs: 0 (an identity at inference).
public struct RandomTranslation: LayerKind {
    public static let className = "RandomTranslation"
    public static let category = LayerCategory.preprocessing
    public static let summary = "During training shifts images by a random offset; does nothing at inference; no weights."

    public init(config: LayerConfig) throws {}

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try Shapes.single(inputs, Self.className)]
    }
}
