/// How a global pooling reduces its input: over every spatial axis (the layout says which
/// they are), dropping them or keeping them as size 1.
public struct GlobalPoolingReduction: Sendable, Hashable {
    public let layout: SpatialLayout
    public let keepDims: Bool


    /// `(batch, channels)`, or the input with spatial sizes 1 when `keepDims`.
    public func outputShape(_ input: TensorShape, _ layer: String) throws -> TensorShape {
        try layout.check(input, layer)
        let channels = input[layout.channelAxis]
        if keepDims {
            var out = input
            for axis in layout.spatialAxes { out[axis] = 1 }
            return out
        }
        return TensorShape([input[0], channels])
    }

    /// Every property, as a reader sets them.
    public init(layout: SpatialLayout, keepDims: Bool) {
        self.layout = layout
        self.keepDims = keepDims
    }
}
