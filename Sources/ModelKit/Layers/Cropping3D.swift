/// Keras `Cropping3D`: removes items at both ends of each spatial axis
/// (keras/src/layers/reshaping/cropping3d.py).
///
/// Input `(batch, d1, d2, d3, channels)` (or channels first); each known spatial size shrinks by
/// `before + after` of its `cropping` entry, which must leave at least one item.
/// No weights. MACs: 0 (cropping is counted as free, by convention).
public struct Cropping3D: LayerKind {
    public static let className = "Cropping3D"
    public static let category = LayerCategory.reshape
    public static let summary = "Cuts a border off the volume to make it smaller; no weights."

    public let layout: SpatialLayout
    public let cropping: EdgeAmounts

    public init(config: LayerConfig) throws {
        layout = try SpatialLayout(config: config, spatialRank: 3)
        cropping = try EdgeAmounts(config: config, key: "cropping", spatialRank: 3, default: [(1, 1), (1, 1), (1, 1)])
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, Self.className)
        try layout.check(input, Self.className)
        var out = input
        for (i, axis) in layout.spatialAxes.enumerated() {
            guard let n = input[axis] else { continue }
            guard let crop = cropping.total(i), crop < n else {
                throw LayerError("Cropping3D cropping \(cropping.text) must be smaller than the input's size \(n) on axis \(axis): input \(input)")
            }
            out[axis] = n - crop
        }
        return [out]
    }
}
