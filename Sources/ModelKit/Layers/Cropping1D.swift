/// Keras `Cropping1D`: removes items at both ends of each spatial axis
/// (keras/src/layers/reshaping/cropping1d.py).
///
/// Input `(batch, steps, channels)`; each known spatial size shrinks by
/// `before + after` of its `cropping` entry, which must leave at least one item. Cropping1D has no `data_format`.
/// No weights. MACs: 0 (cropping is counted as free, by convention).
public struct Cropping1D: LayerKind {
    public static let className = "Cropping1D"
    public static let category = LayerCategory.reshape
    public static let summary = "Cuts a border off the sequence to make it smaller; no weights."

    public let layout: SpatialLayout
    public let cropping: EdgeAmounts

    public init(config: LayerConfig) throws {
        layout = SpatialLayout(spatialRank: 1, channelsFirst: false)
        cropping = try EdgeAmounts(config: config, key: "cropping", spatialRank: 1, default: [(1, 1)])
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, Self.className)
        try layout.check(input, Self.className)
        var out = input
        for (i, axis) in layout.spatialAxes.enumerated() {
            guard let n = input[axis] else { continue }
            guard let crop = cropping.total(i), crop < n else {
                throw LayerError("Cropping1D cropping \(cropping.text) must be smaller than the input's size \(n) on axis \(axis): input \(input)")
            }
            out[axis] = n - crop
        }
        return [out]
    }
}
