/// Padding of a sliding window along the two spatial axes of an NHWC tensor.
public enum WindowPadding: String, Sendable {
    case valid, same
}

/// Geometry of a 2-D window (convolution or pooling) over an NHWC tensor.
public struct Window2D: Sendable, Equatable {
    public var kernel: [Int]
    public var strides: [Int]
    public var dilation: [Int]
    public var padding: WindowPadding

    public init(kernel: [Int], strides: [Int], dilation: [Int] = [1, 1], padding: WindowPadding) {
        self.kernel = kernel
        self.strides = strides
        self.dilation = dilation
        self.padding = padding
    }

    /// Output length and padding before along spatial axis `axis` (0: height, 1: width) for
    /// an input of length `length`, as Keras computes them: `same` gives ceil(in / stride)
    /// with the total padding split so the extra cell goes after.
    public func geometry(axis: Int, length: Int) -> (out: Int, padBefore: Int) {
        let effective = (kernel[axis] - 1) * dilation[axis] + 1
        let stride = strides[axis]
        switch padding {
        case .valid:
            return (length >= effective ? (length - effective) / stride + 1 : 0, 0)
        case .same:
            let out = (length + stride - 1) / stride
            let total = max((out - 1) * stride + effective - length, 0)
            return (out, total / 2)
        }
    }
}

/// The heavy operations of the forward pass. `ReferenceBackend` is plain Swift; a oneDNN
/// backend can replace it behind this protocol. All tensors are NHWC / row-major; kernels
/// use Keras's weight layouts.
public protocol ComputeBackend: Sendable {
    /// 2-D convolution; `kernel` is (kh, kw, cin / groups, cout), `bias` (cout).
    func conv2d(_ x: Tensor, kernel: Tensor, bias: Tensor?, window: Window2D, groups: Int) -> Tensor
    /// Depthwise 2-D convolution; `kernel` is (kh, kw, cin, depth_multiplier), `bias` (cin * dm).
    func depthwiseConv2d(_ x: Tensor, kernel: Tensor, bias: Tensor?, window: Window2D) -> Tensor
    /// x (..., in) times `kernel` (in, units) plus `bias` (units).
    func dense(_ x: Tensor, kernel: Tensor, bias: Tensor?) -> Tensor
    /// Max pooling over NHWC (padded cells never win).
    func maxPool2d(_ x: Tensor, window: Window2D) -> Tensor
    /// Average pooling over NHWC (padded cells excluded from the count, as Keras).
    func averagePool2d(_ x: Tensor, window: Window2D) -> Tensor
    /// 3-D convolution over NDHWC; `kernel` is (kd, kh, kw, cin / groups, cout), `bias` (cout).
    /// Default: the plain Swift reference.
    func conv3d(_ x: Tensor, kernel: Tensor, bias: Tensor?, window: Window3D, groups: Int) -> Tensor
    /// 3-D transposed convolution over NDHWC; `kernel` is Keras's (kd, kh, kw, filters, cin),
    /// `bias` (filters); `window.output` is the output size. Default: the plain Swift reference.
    func convTranspose3d(_ x: Tensor, kernel: Tensor, bias: Tensor?, window: Window3D) -> Tensor
    /// 3-D max or average pooling over NDHWC. Default: the plain Swift reference.
    func pool3d(_ x: Tensor, window: Window3D, average: Bool) -> Tensor
}
