import ModelKit

extension UpSamplingOp {
    /// Reads `size`, then `interpolation` when `readsInterpolation` (only UpSampling2D has it);
    /// `layout` comes from the class (UpSampling1D has no `data_format`).
    public init(config: LayerConfig, layout: SpatialLayout, readsInterpolation: Bool) throws {
        var size: [Int]
        var interpolation: String
        let rank = layout.spatialRank
        size = try config.intTuple("size", count: rank, default: Array(repeating: 2, count: rank))
        interpolation = readsInterpolation ? try config.string("interpolation", default: "nearest").lowercased() : "nearest"
        self.init(layout: layout, size: size, interpolation: interpolation)
    }
}
