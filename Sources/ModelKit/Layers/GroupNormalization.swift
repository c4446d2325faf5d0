/// Keras `GroupNormalization` (keras/src/layers/normalization/group_normalization.py, `build`).
///
/// Output shape = input shape. The channels on `axis` (default -1, must be known) are split
/// into `groups` equal groups (`-1`: one group per channel, i.e. instance normalization);
/// `groups` must divide the channels. Weights of shape `(C,)`: `gamma` (if `scale`), `beta`
/// (if `center`), both trainable. MACs: 1 per output element (by convention).
public struct GroupNormalization: LayerKind {
    public static let className = "GroupNormalization"
    public static let category = LayerCategory.normalization
    public static let summary = "Normalizes groups of channels within each sample, then applies a learned scale and offset per channel."

    public let groups: Int
    public let axis: Int
    public let center: Bool
    public let scale: Bool

    public init(config: LayerConfig) throws {
        groups = try config.int("groups", default: 32)
        guard groups > 0 || groups == -1 else {
            throw config.error("groups", "must be a positive number (or -1 for instance normalization), found \(groups)")
        }
        axis = try config.int("axis", default: -1)
        center = try config.bool("center", default: true)
        scale = try config.bool("scale", default: true)
    }

    func channels(_ input: TensorShape) throws -> Int {
        guard input.normalizedAxis(axis) != nil else {
            throw LayerError("GroupNormalization axis \(axis) is out of bounds for input shape \(input)")
        }
        guard let c = input.dim(axis) else {
            throw LayerError("GroupNormalization needs a known size on axis \(axis) of input \(input)")
        }
        let g = groups == -1 ? c : groups
        guard g <= c else { throw LayerError("GroupNormalization groups \(g) cannot be more than the \(c) channels of input \(input)") }
        guard c % g == 0 else { throw LayerError("GroupNormalization groups \(g) must divide the \(c) channels of input \(input)") }
        return c
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, Self.className)
        guard input.normalizedAxis(axis) != nil else {
            throw LayerError("GroupNormalization axis \(axis) is out of bounds for input shape \(input)")
        }
        if input.dim(axis) != nil { _ = try channels(input) }
        return [input]
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        let c = try channels(Shapes.single(inputs, Self.className))
        var w: [WeightSpec] = []
        if scale { w.append(WeightSpec("gamma", [c])) }
        if center { w.append(WeightSpec("beta", [c])) }
        return w
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        outputs.first?.elementCount(batch: 1)
    }
}
