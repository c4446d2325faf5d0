import ModelKit

extension GlobalPoolingReduction {
    /// GlobalAveragePooling1D/2D/3D and GlobalMaxPooling1D/2D/3D: `data_format` and `keepdims`
    /// (default false); the shape rule is keras/src/layers/pooling/base_global_pooling.py,
    /// `compute_output_shape`.
    public init(config: LayerConfig, spatialRank: Int) throws {
        var layout: SpatialLayout
        var keepDims: Bool
        layout = try SpatialLayout(config: config, spatialRank: spatialRank)
        keepDims = try config.bool("keepdims", default: false)
        self.init(layout: layout, keepDims: keepDims)
    }
}
