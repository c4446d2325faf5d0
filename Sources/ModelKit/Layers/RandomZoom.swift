/// Keras `RandomZoom` (keras/src/layers/preprocessing/image_preprocessing/random_zoom.py): a random image
/// augmentation, active only in training.
///
/// Output shape = input shape. No weights (the random seed state is a variable Keras keeps
/// out of `weights` and `count_params`). MACs: 0 (an identity at inference).
public struct RandomZoom: LayerKind {
    public static let className = "RandomZoom"
    public static let category = LayerCategory.preprocessing
    public static let summary = "During training zooms images in or out at random; does nothing at inference; no weights."

    public init(config: LayerConfig) throws {}

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try Shapes.single(inputs, Self.className)]
    }
}
