/// The shared behaviour of Cropping1D, Cropping2D and Cropping3D
/// (keras/src/layers/reshaping/cropping1d.py, cropping2d.py, cropping3d.py): decoding and
/// output shape. Each class's file holds one of these.
///
/// Each known spatial size shrinks by `before + after` of its `cropping` entry, which must
/// leave at least one item. No weights. MACs: 0 (cropping is counted as free, by convention).
public struct CroppingOp: Sendable {
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""

    public let layout: SpatialLayout
    /// The `cropping` amounts, one pair per spatial axis.
    public let amounts: EdgeAmounts


    public func outputShapes(_ inputs: [TensorShape], _ layer: String) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, layer)
        return [try layout.resizingSpatial(input, layer) { i, axis, n in
            guard let crop = amounts.total(i), crop < n else {
                throw LayerError("\(layer) cropping \(amounts.text) must be smaller than the input's size \(n) on axis \(axis): input \(input)")
            }
            return n - crop
        }]
    }

    /// Every property, as a reader sets them.
    public init(layout: SpatialLayout, amounts: EdgeAmounts) {
        self.layout = layout
        self.amounts = amounts
    }
}

extension CroppingOp: Operator {
    public var family: String { "crop" }
    public var category: LayerCategory { .reshape }
    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try outputShapes(inputs, sourceClass) }
}
