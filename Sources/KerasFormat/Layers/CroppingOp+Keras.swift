import ModelKit

extension CroppingOp {
    /// Cropping1D, Cropping2D and Cropping3D (keras/src/layers/reshaping/cropping1d.py,
    /// cropping2d.py, cropping3d.py): reads `cropping` (`def` when absent: Keras's default
    /// for the class); `layout` comes from the class (Cropping1D has no `data_format`).
    public init(config: LayerConfig, layout: SpatialLayout, default def: [(Int, Int)]) throws {
        var amounts: EdgeAmounts
        amounts = try EdgeAmounts(config: config, key: "cropping", spatialRank: layout.spatialRank, default: def)
        self.init(layout: layout, amounts: amounts)
    }
}
