/// Crops the central window of the target height and width out of each image.
///
/// Output: the input image(s) with height and width replaced (see `ImageSizeTarget`); a
/// smaller input is resized up first, so any input size is accepted. No weights. MACs: 0.
public struct CenterCropOp: Operator {
    public var family: String { "center_crop" }
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .preprocessing }


    public let target: ImageSizeTarget


    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try target.outputShape(Shapes.single(inputs, sourceClass), sourceClass)]
    }

    /// Every property, as a reader sets them.
    public init(target: ImageSizeTarget) {
        self.target = target
    }
}
