/// The axes a normalization works along: one axis or a list of axes, negatives counting
/// from the end. The form is kept as written, so messages repeat it.
public struct NormalizationAxes: Sendable, Hashable {
    /// The axes as the file writes them.
    public let axes: [Int]
    /// True when the file gave a list rather than a single axis.
    public let isList: Bool

    public init(axes: [Int], isList: Bool) {
        self.axes = axes
        self.isList = isList
    }


    /// As written, for messages: `-1` or `[1, 2]`.
    public var text: String { isList ? "\(axes)" : "\(axes[0])" }

    /// Requires every axis to exist in `shape`.
    public func check(_ shape: TensorShape, _ layer: String) throws {
        for a in axes where shape.normalizedAxis(a) == nil {
            throw LayerError("\(layer) axis \(a) is out of bounds for input shape \(shape) (axis=\(text))")
        }
    }

    /// Output shapes of the axis-normalizing operators (batch, layer, RMS and L2
    /// normalization): the single input, after checking every axis exists.
    public func outputShapes(_ inputs: [TensorShape], _ layer: String) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, layer)
        try check(input, layer)
        return [input]
    }

    /// Shape of the per-feature weights of layer and RMS normalization: `(input[axis],)` for
    /// one axis; for a list, the sizes on the axes sorted as written (before negatives are
    /// resolved).
    public func featureShape(_ input: TensorShape, _ layer: String) throws -> [Int] {
        try sizes(input, axes: isList ? axes.sorted() : axes, layer)
    }

    /// The sizes of `shape` on the given axes, in the given order; each must be known.
    public func sizes(_ shape: TensorShape, axes chosen: [Int], _ layer: String) throws -> [Int] {
        try chosen.map { a in
            guard let i = shape.normalizedAxis(a) else {
                throw LayerError("\(layer) axis \(a) is out of bounds for input shape \(shape) (axis=\(text))")
            }
            guard let d = shape[i] else {
                throw LayerError("\(layer) needs a known size on axis \(a) of input \(shape) (axis=\(text))")
            }
            return d
        }
    }
}
