/// The window of a max or average pooling: its size and strides per spatial axis, the
/// padding mode (`valid` or `same`) and the layout.
///
/// Output length per spatial axis: `floor((n - pool) / stride) + 1` under `valid` (an error
/// when that is zero or less), `floor((n - 1) / stride) + 1` under `same`.
public struct PoolingWindow: Sendable, Hashable {
    public let layout: SpatialLayout
    public let poolSize: [Int]
    public let strides: [Int]
    /// `valid` or `same`.
    public let padding: String


    /// Output shape for one input, or a `LayerError` naming the shape and the window.
    public func outputShape(_ input: TensorShape, _ layer: String) throws -> TensorShape {
        try layout.resizingSpatial(input, layer) { i, axis, n in
            guard padding == "valid" else { return Self.floorDiv(n - 1, strides[i]) + 1 }
            // floor((n - pool) / stride) + 1, with Python's floor for negatives.
            let length = Self.floorDiv(n - poolSize[i], strides[i]) + 1
            guard length > 0 else {
                throw LayerError("\(layer) would produce an output of size \(length) on axis \(axis): input \(input), pool_size \(poolSize), strides \(strides), padding \"valid\"")
            }
            return length
        }
    }

    /// Python's `//` for a positive divisor.
    static func floorDiv(_ a: Int, _ b: Int) -> Int {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    /// Every property, as a reader sets them.
    public init(layout: SpatialLayout, poolSize: [Int], strides: [Int], padding: String) {
        self.layout = layout
        self.poolSize = poolSize
        self.strides = strides
        self.padding = padding
    }
}
