/// Keras `Rescaling` (keras/src/layers/preprocessing/rescaling.py): `x * scale + offset`
/// (`scale` and `offset` may be numbers or per-channel lists).
///
/// Output shape = input shape; no weights. MACs: 0 (by convention: not a normalization layer).
public struct Rescaling: LayerKind {
    public static let className = "Rescaling"
    public static let category = LayerCategory.preprocessing
    public static let summary = "Multiplies the input by a fixed number and adds a fixed offset (for example pixel values 0-255 to 0-1); no weights."

    public init(config: LayerConfig) throws {
        guard config["scale"] != nil else { throw config.error("scale", "missing key \"scale\"") }
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try Shapes.single(inputs, Self.className)]
    }
}
