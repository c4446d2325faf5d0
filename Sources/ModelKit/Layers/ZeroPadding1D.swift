/// Keras `ZeroPadding1D`: adds rows of zeros at both ends of each spatial axis
/// (keras/src/layers/reshaping/zero_padding1d.py).
///
/// Input `(batch, steps, channels)` (or channels first); each known spatial size grows by
/// `before + after` of its `padding` entry (an int, a pair).
/// No weights. MACs: 0 (padding is counted as free, by convention).
public struct ZeroPadding1D: LayerKind {
    public static let className = "ZeroPadding1D"
    public static let category = LayerCategory.reshape
    public static let summary = "Adds a border of zeros around the sequence to make it larger; no weights."

    public let layout: SpatialLayout
    public let padding: EdgeAmounts

    public init(config: LayerConfig) throws {
        layout = try SpatialLayout(config: config, spatialRank: 1)
        padding = try EdgeAmounts(config: config, key: "padding", spatialRank: 1, default: [(1, 1)])
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, Self.className)
        try layout.check(input, Self.className)
        var out = input
        for (i, axis) in layout.spatialAxes.enumerated() {
            guard let n = input[axis] else { continue }
            guard let pad = padding.total(i) else { throw LayerError("ZeroPadding1D padding \(padding.text) is too large") }
            let (sum, overflow) = n.addingReportingOverflow(pad)
            guard !overflow else { throw LayerError("ZeroPadding1D output size overflows: input \(input), padding \(padding.text)") }
            out[axis] = sum
        }
        return [out]
    }
}
