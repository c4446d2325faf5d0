import ModelKit

extension LayerScaleOp {
    public init(config: LayerConfig) throws {
        var projectionDim: Int
        projectionDim = try config.positiveInt("projection_dim")
        self.init(projectionDim: projectionDim)
    }
}
