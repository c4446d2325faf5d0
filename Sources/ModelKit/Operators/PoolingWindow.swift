/// The window of a max or average pooling: its size and strides per spatial axis, the
/// padding mode (`valid` or `same`) and the layout.
///
/// Output length per spatial axis: `floor((n - pool) / stride) + 1` under `valid` (an error
/// when that is zero or less), `floor((n - 1) / stride) + 1` under `same`.
public struct PoolingWindow: Sendable, Hashable {
    public let layout: SpatialLayout
    public let poolSize: [Int]
    public let strides: [Int]
    /// `valid`, `same` or `explicit` (`pads`).
    public let padding: String
    /// Zeros (or, for a max, nothing) added before and after each spatial axis, when
    /// `padding` is `explicit`.
    public var pads: SidePadding?
    /// Rounds the output length up instead of down (a last window that starts inside the
    /// padded input but runs past it still counts).
    /// With `same` padding, the odd extra cell goes before (ONNX's `SAME_LOWER`).
    public var sameLower = false
    public var ceilMode = false
    /// Padding counted in an average's divisor (explicit padding only).
    public var countIncludePad = false


    /// Output shape for one input, or a `LayerError` naming the shape and the window.
    public func outputShape(_ input: TensorShape, _ layer: String) throws -> TensorShape {
        try layout.resizingSpatial(input, layer) { i, axis, n in
            if padding == "explicit", let pads {
                let before = i < pads.before.count ? pads.before[i] : 0, after = i < pads.after.count ? pads.after[i] : 0
                let span = n + before + after - poolSize[i]
                guard span >= 0 else {
                    throw LayerError("\(layer): the window \(poolSize) is larger than input \(input) padded by \(pads.before) before and \(pads.after) after")
                }
                var length = (ceilMode ? (span + strides[i] - 1) / strides[i] : span / strides[i]) + 1
                // A window may not start in the padding after the input.
                if ceilMode, (length - 1) * strides[i] >= n + before { length -= 1 }
                return length
            }
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
