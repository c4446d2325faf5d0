/// Keras `UpSampling1D`: repeats each item along each spatial axis `size` times
/// (keras/src/layers/reshaping/up_sampling1d.py).
///
/// Input `(batch, steps, channels)`; each known spatial size is multiplied by
/// its `size` entry.
/// No weights. MACs: 0 (counted as free, by convention).
public struct UpSampling1D: LayerKind {
    public static let className = "UpSampling1D"
    public static let category = LayerCategory.reshape
    public static let summary = "Enlarges the sequence by repeating each step a fixed number of times; no weights."

    public let layout: SpatialLayout
    /// Repeat factor per spatial axis.
    public let size: [Int]
    /// `nearest` (always, except UpSampling2D, which also allows `bilinear` and others).
    public let interpolation: String

    public init(config: LayerConfig) throws {
        layout = SpatialLayout(spatialRank: 1, channelsFirst: false)
        size = try config.intTuple("size", count: 1, default: [2])
        interpolation = "nearest"
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, Self.className)
        try layout.check(input, Self.className)
        var out = input
        for (i, axis) in layout.spatialAxes.enumerated() {
            guard let n = input[axis] else { continue }
            let (p, overflow) = n.multipliedReportingOverflow(by: size[i])
            guard !overflow else { throw LayerError("UpSampling1D output size overflows: input \(input), size \(size)") }
            out[axis] = p
        }
        return [out]
    }
}
