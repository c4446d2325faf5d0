import ModelKit

extension UpSamplingOp {
    /// UpSampling1D, UpSampling2D and UpSampling3D (keras/src/layers/reshaping/up_sampling1d.py,
    /// up_sampling2d.py, up_sampling3d.py): reads `size` (default 2 per axis), then
    /// `interpolation` when `readsInterpolation` (only UpSampling2D has it; the others are
    /// nearest); `layout` comes from the class (UpSampling1D has no `data_format`). Bilinear
    /// upsampling runs as the `Resizing` decoder describes.
    public init(config: LayerConfig, layout: SpatialLayout, readsInterpolation: Bool) throws {
        var size: [Int]
        var interpolation: String
        let rank = layout.spatialRank
        size = try config.intTuple("size", count: rank, default: Array(repeating: 2, count: rank))
        interpolation = readsInterpolation ? try config.string("interpolation", default: "nearest").lowercased() : "nearest"
        self.init(layout: layout, size: size, interpolation: interpolation)
    }
}
