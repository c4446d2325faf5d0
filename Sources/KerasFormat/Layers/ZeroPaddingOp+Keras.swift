import ModelKit

extension ZeroPaddingOp {
    /// Reads `data_format` and `padding` (`def` when absent).
    public init(config: LayerConfig, spatialRank: Int, default def: [(Int, Int)]) throws {
        var layout: SpatialLayout
        var amounts: EdgeAmounts
        layout = try SpatialLayout(config: config, spatialRank: spatialRank)
        amounts = try EdgeAmounts(config: config, key: "padding", spatialRank: spatialRank, default: def)
        self.init(layout: layout, amounts: amounts)
    }
}
