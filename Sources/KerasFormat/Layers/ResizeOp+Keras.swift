import ModelKit

extension ResizeOp {
    /// Resizing (keras/src/layers/preprocessing/image_preprocessing/resizing.py): the target,
    /// `interpolation` (default bilinear), `crop_to_aspect_ratio` and `pad_to_aspect_ratio`.
    /// The engine resizes as Keras's TensorFlow backend does (`tf.image.resize`,
    /// keras/src/backend/tensorflow/image.py; TF's resize_bilinear_op.cc): half-pixel centres,
    /// no antialiasing, neighbours clamped to the image.
    public init(config: LayerConfig) throws {
        var target: ImageSizeTarget
        var interpolation: String
        var cropToAspectRatio: Bool
        var padToAspectRatio: Bool
        target = try ImageSizeTarget(config: config)
        interpolation = try config.string("interpolation", default: "bilinear")
        cropToAspectRatio = try config.bool("crop_to_aspect_ratio", default: false)
        padToAspectRatio = try config.bool("pad_to_aspect_ratio", default: false)
        guard !(cropToAspectRatio && padToAspectRatio) else {
            throw config.error("pad_to_aspect_ratio", "only one of \"crop_to_aspect_ratio\" and \"pad_to_aspect_ratio\" can be true")
        }
        self.init(target: target, interpolation: interpolation, cropToAspectRatio: cropToAspectRatio, padToAspectRatio: padToAspectRatio)
    }
}
