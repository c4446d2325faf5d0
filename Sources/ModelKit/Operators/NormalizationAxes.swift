/// The `axis` argument of the normalization layers: one int (Keras 3) or a list of ints
/// (Keras 2 saves `[3]`; LayerNormalization takes several axes), Python-style negatives allowed.
public struct NormalizationAxes: Sendable, Hashable {
    /// The axes as written in the config.
    public let axes: [Int]
    /// True when the config held a list rather than a single int.
    public let isList: Bool

    public init(axes: [Int], isList: Bool) {
        self.axes = axes
        self.isList = isList
    }


    /// Keras-style text: `-1` or `[1, 2]`.
    public var text: String { isList ? "\(axes)" : "\(axes[0])" }

    /// Requires every axis to exist in `shape` (as Keras's `compute_output_shape` does).
    public func check(_ shape: TensorShape, _ layer: String) throws {
        for a in axes where shape.normalizedAxis(a) == nil {
            throw LayerError("\(layer) axis \(a) is out of bounds for input shape \(shape) (axis=\(text))")
        }
    }

    /// Output shapes of the axis-normalizing layers (BatchNormalization, LayerNormalization,
    /// RMSNormalization, UnitNormalization): the single input, after checking every axis exists.
    public func outputShapes(_ inputs: [TensorShape], _ layer: String) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, layer)
        try check(input, layer)
        return [input]
    }

    /// Shape of the per-feature weights of LayerNormalization and RMSNormalization (their
    /// `build`): `(input[axis],)` for an int, the sizes on the sorted axes for a list.
    /// Keras 3.15 sorts a list of axes as written (before resolving negatives).
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
