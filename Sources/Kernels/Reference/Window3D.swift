/// Geometry of a window over the three spatial axes of an NDHWC tensor (1-D and 2-D windows
/// are the 3-D one with leading axes of length 1): per axis the kernel, stride, dilation,
/// the padding before the first cell and the output length, all resolved by the caller.
public struct Window3D: Sendable, Equatable {
    public var kernel: [Int]
    public var strides: [Int]
    public var dilation: [Int]
    public var padBefore: [Int]
    public var output: [Int]

    public init(kernel: [Int], strides: [Int], dilation: [Int], padBefore: [Int], output: [Int]) {
        precondition(kernel.count == 3 && strides.count == 3 && dilation.count == 3 && padBefore.count == 3 && output.count == 3,
                     "Window3D needs three values per field")
        self.kernel = kernel
        self.strides = strides
        self.dilation = dilation
        self.padBefore = padBefore
        self.output = output
    }

    /// A forward window (convolution or pooling) over spatial lengths `input`, with Keras's
    /// `valid` / `same` rule per axis (the same rule as `Window2D.geometry`).
    public static func forward(input: [Int], kernel: [Int], strides: [Int], dilation: [Int], padding: WindowPadding) -> Window3D {
        var pad: [Int] = [], out: [Int] = []
        for a in 0..<3 {
            let w = Window2D(kernel: [kernel[a], 1], strides: [strides[a], 1], dilation: [dilation[a], 1], padding: padding)
            let g = w.geometry(axis: 0, length: input[a])
            pad.append(g.padBefore)
            out.append(g.out)
        }
        return Window3D(kernel: kernel, strides: strides, dilation: dilation, padBefore: pad, output: out)
    }
}
