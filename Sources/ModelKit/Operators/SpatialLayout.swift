/// Where the spatial axes and the channel axis of an image-like tensor sit, for operators
/// whose layout is a setting (pooling, padding, cropping, upsampling).
///
/// A rank-`spatialRank + 2` tensor is `(batch, d1, ..., dn, channels)` channels-last and
/// `(batch, channels, d1, ..., dn)` channels-first.
public struct SpatialLayout: Sendable, Hashable {
    /// Number of spatial axes (1, 2 or 3).
    public let spatialRank: Int
    /// True when the channel axis comes before the spatial axes.
    public let channelsFirst: Bool

    public init(spatialRank: Int, channelsFirst: Bool) {
        self.spatialRank = spatialRank
        self.channelsFirst = channelsFirst
    }


    /// Index of the first spatial axis in the full shape.
    public var firstSpatialAxis: Int { channelsFirst ? 2 : 1 }

    /// Indices of the spatial axes in the full shape.
    public var spatialAxes: [Int] { Array(firstSpatialAxis..<(firstSpatialAxis + spatialRank)) }

    /// Index of the channel axis in the full shape.
    public var channelAxis: Int { channelsFirst ? 1 : spatialRank + 1 }

    /// Requires rank `spatialRank + 2`: the batch, the spatial axes and the channels.
    public func check(_ shape: TensorShape, _ layer: String) throws {
        try Shapes.require(shape, rank: spatialRank + 2, layer)
    }

    /// `shape`, after `check`, with each known spatial size `n` replaced by `resize(i, axis, n)`
    /// (`i` counts the spatial axes, `axis` indexes the full shape); unknown sizes stay unknown.
    /// The traversal of pooling, padding, cropping and upsampling.
    public func resizingSpatial(_ shape: TensorShape, _ layer: String,
                                _ resize: (_ i: Int, _ axis: Int, _ size: Int) throws -> Int) throws -> TensorShape {
        try check(shape, layer)
        var out = shape
        for (i, axis) in spatialAxes.enumerated() {
            guard let n = shape[axis] else { continue }
            out[axis] = try resize(i, axis, n)
        }
        return out
    }
}
