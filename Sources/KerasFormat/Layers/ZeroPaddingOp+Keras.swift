import ModelKit

extension ZeroPaddingOp {
    /// ZeroPadding1D, ZeroPadding2D and ZeroPadding3D
    /// (keras/src/layers/reshaping/zero_padding1d.py, zero_padding2d.py, zero_padding3d.py):
    /// reads `data_format` and `padding` (`def` when absent: Keras's default of 1 on both
    /// sides of every axis).
    public init(config: LayerConfig, spatialRank: Int, default def: [(Int, Int)]) throws {
        var layout: SpatialLayout
        var amounts: EdgeAmounts
        layout = try SpatialLayout(config: config, spatialRank: spatialRank)
        amounts = try EdgeAmounts(config: config, key: "padding", spatialRank: spatialRank, default: def)
        self.init(layout: layout, amounts: amounts)
    }
}
