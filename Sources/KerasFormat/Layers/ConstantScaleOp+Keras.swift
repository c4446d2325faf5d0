import ModelKit

extension ConstantScaleOp {
    /// `CustomScaleLayer` of Keras's InceptionResNetV2
    /// (keras/src/applications/inception_resnet_v2.py): `scale`, default 1.
    public init(config: LayerConfig) throws {
        var scale: Double
        scale = try config.double("scale", default: 1)
        self.init(scale: scale)
    }
}
