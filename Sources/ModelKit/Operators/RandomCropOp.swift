/// During training cuts a random window of the target height and width out of each image;
/// at inference takes the central window (resizing first when the input is smaller).
///
/// Output: the input image(s) with height and width replaced (see `ImageSizeTarget`), in
/// training and at inference. No weights. MACs: 0.
public struct RandomCropOp: Operator {
    public var family: String { "random_crop" }
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
