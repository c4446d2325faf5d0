import ModelKit

extension CroppingOp {
    /// Reads `cropping` (`def` when absent); `layout` comes from the class (Cropping1D has no `data_format`).
    public init(config: LayerConfig, layout: SpatialLayout, default def: [(Int, Int)]) throws {
        var amounts: EdgeAmounts
        amounts = try EdgeAmounts(config: config, key: "cropping", spatialRank: layout.spatialRank, default: def)
        self.init(layout: layout, amounts: amounts)
    }
}
