/// Zero padding of 1, 2 or 3 spatial axes: each known spatial size grows by its per-side
/// amounts `before + after`, an error on overflow. No weights. MACs: 0 (padding is counted
/// as free, by convention).
public struct ZeroPaddingOp: Sendable {
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""

    public let layout: SpatialLayout
    /// The per-side padding, one pair per spatial axis.
    public let amounts: EdgeAmounts


    public func outputShapes(_ inputs: [TensorShape], _ layer: String) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, layer)
        return [try layout.resizingSpatial(input, layer) { i, _, n in
            guard let pad = amounts.total(i) else { throw LayerError("\(layer) padding \(amounts.text) is too large") }
            let (sum, overflow) = n.addingReportingOverflow(pad)
            guard !overflow else { throw LayerError("\(layer) output size overflows: input \(input), padding \(amounts.text)") }
            return sum
        }]
    }

    /// Every property, as a reader sets them.
    public init(layout: SpatialLayout, amounts: EdgeAmounts) {
        self.layout = layout
        self.amounts = amounts
    }
}

extension ZeroPaddingOp: Operator {
    public var family: String { "pad" }
    public var category: LayerCategory { .reshape }
    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try outputShapes(inputs, sourceClass) }
}
