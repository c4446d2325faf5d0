/// Keras `UpSampling3D`: repeats each item along each spatial axis `size` times
/// (keras/src/layers/reshaping/up_sampling3d.py).
///
/// Input `(batch, d1, d2, d3, channels)` (or channels first); each known spatial size is multiplied by
/// its `size` entry.
/// No weights. MACs: 0 (counted as free, by convention).
public struct UpSampling3D: LayerKind {
    public static let className = "UpSampling3D"
    public static let category = LayerCategory.reshape
    public static let summary = "Enlarges the volume by repeating each voxel a fixed number of times; no weights."

    public let layout: SpatialLayout
    /// Repeat factor per spatial axis.
    public let size: [Int]
    /// `nearest` (always, except UpSampling2D, which also allows `bilinear` and others).
    public let interpolation: String

    public init(config: LayerConfig) throws {
        layout = try SpatialLayout(config: config, spatialRank: 3)
        size = try config.intTuple("size", count: 3, default: [2, 2, 2])
        interpolation = "nearest"
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, Self.className)
        try layout.check(input, Self.className)
        var out = input
        for (i, axis) in layout.spatialAxes.enumerated() {
            guard let n = input[axis] else { continue }
            let (p, overflow) = n.multipliedReportingOverflow(by: size[i])
            guard !overflow else { throw LayerError("UpSampling3D output size overflows: input \(input), size \(size)") }
            out[axis] = p
        }
        return [out]
    }
}
