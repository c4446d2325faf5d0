/// The reduction of a `Global*Pooling*` layer: which axes go (the spatial ones, by
/// `data_format`) and whether they stay as size 1 (`keepdims`)
/// (keras/src/layers/pooling/base_global_pooling.py, `compute_output_shape`).
public struct GlobalPoolingReduction: Sendable, Hashable {
    public let layout: SpatialLayout
    public let keepDims: Bool

    public init(config: LayerConfig, spatialRank: Int) throws {
        layout = try SpatialLayout(config: config, spatialRank: spatialRank)
        keepDims = try config.bool("keepdims", default: false)
    }

    /// `(batch, channels)`, or the input with spatial sizes 1 under `keepdims`.
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
}
