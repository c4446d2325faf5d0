import ModelKit

extension PoolingWindow {
    /// MaxPooling1D/2D/3D and AveragePooling1D/2D/3D: `pool_size` (default 2 per axis),
    /// `strides` (default `pool_size`), `padding` (`valid` or `same`) and `data_format`. The
    /// output length is keras/src/ops/operation_utils.py's `compute_pooling_output_shape`.
    public init(config: LayerConfig, spatialRank: Int) throws {
        var layout: SpatialLayout
        var poolSize: [Int]
        var strides: [Int]
        var padding: String
        layout = try SpatialLayout(config: config, spatialRank: spatialRank)
        poolSize = try config.intTuple("pool_size", count: spatialRank, default: Array(repeating: 2, count: spatialRank))
        strides = try config.intTuple("strides", count: spatialRank, default: poolSize)
        let p = try config.padding()
        guard p == "valid" || p == "same" else {
            throw config.error("padding", "pooling takes \"valid\" or \"same\", found \"\(p)\"")
        }
        padding = p
        self.init(layout: layout, poolSize: poolSize, strides: strides, padding: padding)
    }
}
