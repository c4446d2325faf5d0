/// Applies a named activation function (keras/src/layers/activations/activation.py).
///
/// Output shape: the input's, as Keras reports it (`compute_output_shape` returns the input
/// shape even for `glu`, whose real output halves the last axis; see
/// `Activations.runtimeLastAxis`). No weights; MACs 0.
public struct Activation: LayerKind {
    public static let className = "Activation"
    public static let category = LayerCategory.activation
    public static let summary = "Applies a fixed function (such as relu or sigmoid) to every value; no weights."

    /// The activation's name (`relu`), or a custom function's name.
    public let activation: String

    public init(config: LayerConfig) throws {
        guard config.has("activation") else { throw config.error("activation", "missing key \"activation\"") }
        activation = try Activations.validate(config) ?? "linear"
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try Shapes.single(inputs, Self.className)]
    }
}
