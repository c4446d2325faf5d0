/// Softmax along one or more axes (keras/src/layers/activations/softmax.py).
///
/// `axis` is an int or a list of ints (default -1). Output shape: the input's (an optional
/// mask argument does not change it). No weights; MACs 0.
public struct Softmax: LayerKind {
    public static let className = "Softmax"
    public static let category = LayerCategory.activation
    public static let summary = "Turns scores into probabilities that sum to one along an axis; no weights."

    public let axes: [Int]

    public init(config: LayerConfig) throws {
        axes = try config.intList("axis") ?? [-1]
        guard !axes.isEmpty else { throw config.error("axis", "expected an axis, found an empty list") }
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, Self.className)
        for a in axes where input.normalizedAxis(a) == nil {
            throw LayerError("Softmax axis \(a) is out of range for input \(input)")
        }
        return [input]
    }
}
