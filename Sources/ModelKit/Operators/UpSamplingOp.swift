/// Upsampling of 1, 2 or 3 spatial axes by a whole factor per axis: each known spatial size
/// is multiplied by its `size` entry, an error on overflow. Nearest interpolation repeats
/// every position; bilinear (two spatial axes) interpolates between them. No weights.
/// MACs: 0 (counted as free, by convention).
public struct UpSamplingOp: Sendable {
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""

    public let layout: SpatialLayout
    /// Repeat factor per spatial axis.
    public let size: [Int]
    /// `nearest`; on two spatial axes also `bilinear` or another mode a file names (which the
    /// engine refuses).
    public let interpolation: String


    public func outputShapes(_ inputs: [TensorShape], _ layer: String) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, layer)
        return [try layout.resizingSpatial(input, layer) { i, _, n in
            let (p, overflow) = n.multipliedReportingOverflow(by: size[i])
            guard !overflow else { throw LayerError("\(layer) output size overflows: input \(input), size \(size)") }
            return p
        }]
    }

    /// Every property, as a reader sets them.
    public init(layout: SpatialLayout, size: [Int], interpolation: String) {
        self.layout = layout
        self.size = size
        self.interpolation = interpolation
    }
}

extension UpSamplingOp: Operator {
    public var family: String { "upsample" }
    public var category: LayerCategory { .reshape }
    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try outputShapes(inputs, sourceClass) }
}
