import ModelKit

extension RandomCropOp {
    /// RandomCrop (keras/src/layers/preprocessing/image_preprocessing/random_crop.py): `height`,
    /// `width`, `data_format`. At inference Keras resizes the image and crops its centre, which
    /// the engine does not run.
    public init(config: LayerConfig) throws {
        var target: ImageSizeTarget
        target = try ImageSizeTarget(config: config)
        self.init(target: target)
    }
}
