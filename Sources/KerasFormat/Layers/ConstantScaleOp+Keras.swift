import ModelKit

extension ConstantScaleOp {
    public init(config: LayerConfig) throws {
        var scale: Double
        scale = try config.double("scale", default: 1)
        self.init(scale: scale)
    }
}
