import ModelKit

extension LayerScaleOp {
    /// `LayerScale` of Keras's ConvNeXt (keras/src/applications/convnext.py): `projection_dim`.
    /// Its weight is created with `add_weight` and no name, so Keras 3 calls it `variable`
    /// (tf.keras 2: a `tf.Variable` named `Variable`).
    public init(config: LayerConfig) throws {
        var projectionDim: Int
        projectionDim = try config.positiveInt("projection_dim")
        self.init(projectionDim: projectionDim)
    }
}
