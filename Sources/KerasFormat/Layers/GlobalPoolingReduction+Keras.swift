import ModelKit

extension GlobalPoolingReduction {
    public init(config: LayerConfig, spatialRank: Int) throws {
        var layout: SpatialLayout
        var keepDims: Bool
        layout = try SpatialLayout(config: config, spatialRank: spatialRank)
        keepDims = try config.bool("keepdims", default: false)
        self.init(layout: layout, keepDims: keepDims)
    }
}
