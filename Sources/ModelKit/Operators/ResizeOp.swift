/// Resizes images to a target height and width.
///
/// Output: the input image(s) with height and width replaced (see `ImageSizeTarget`).
/// Cropping or padding to the target's aspect ratio (at most one of them) and the
/// interpolation change the pixels, not the shape. No weights. MACs: 0.
public struct ResizeOp: Operator {
    public var family: String { "resize" }
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .preprocessing }


    public let target: ImageSizeTarget
    public let interpolation: String
    public let cropToAspectRatio: Bool
    public let padToAspectRatio: Bool


    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try target.outputShape(Shapes.single(inputs, sourceClass), sourceClass)]
    }

    /// Every property, as a reader sets them.
    public init(target: ImageSizeTarget, interpolation: String, cropToAspectRatio: Bool, padToAspectRatio: Bool) {
        self.target = target
        self.interpolation = interpolation
        self.cropToAspectRatio = cropToAspectRatio
        self.padToAspectRatio = padToAspectRatio
    }
}
