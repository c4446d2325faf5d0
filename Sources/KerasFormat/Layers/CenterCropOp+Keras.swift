import ModelKit

extension CenterCropOp {
    /// CenterCrop (keras/src/layers/preprocessing/image_preprocessing/center_crop.py): `height`,
    /// `width`, `data_format`. The crop starts at `(size - target) // 2` on each axis, as there;
    /// Keras resizes a smaller input first, which the engine does not.
    public init(config: LayerConfig) throws {
        var target: ImageSizeTarget
        target = try ImageSizeTarget(config: config)
        self.init(target: target)
    }
}
