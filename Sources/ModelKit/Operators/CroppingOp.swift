/// Cropping of 1, 2 or 3 spatial axes: each known spatial size shrinks by its per-side
/// amounts `before + after`, which must leave at least one position. No weights. MACs: 0
/// (cropping is counted as free, by convention).
public struct CroppingOp: Sendable {
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""

    public let layout: SpatialLayout
    /// The per-side amounts cut off, one pair per spatial axis.
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
