import ModelKit

extension RandomCropOp {
    public init(config: LayerConfig) throws {
        var target: ImageSizeTarget
        target = try ImageSizeTarget(config: config)
        self.init(target: target)
    }
}
