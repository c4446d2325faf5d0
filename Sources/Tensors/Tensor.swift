/// A dense float32 tensor: `shape` (row-major, C order) and its elements.
///
/// The forward pass's currency; weights, inputs and outputs are tensors.
public struct Tensor: Sendable, Equatable {
    public var shape: [Int]
    public var data: [Float]

    /// A tensor of the given shape; `data.count` must equal the product of `shape`.
    public init(shape: [Int], data: [Float]) {
        precondition(shape.reduce(1, *) == data.count, "tensor data does not fit its shape")
        self.shape = shape
        self.data = data
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) {
        self.shape = shape
        self.data = [Float](repeating: 0, count: shape.reduce(1, *))
    }

    public var count: Int { data.count }

    /// The elements of a tensor of strings (a text model input, an inverse string lookup),
    /// row-major; nil for a number tensor. A tensor of strings holds zeros in `data`.
    public var text: [String]?

    /// A tensor of strings.
    public init(shape: [Int], text: [String]) {
        precondition(shape.reduce(1, *) == text.count, "tensor text does not fit its shape")
        self.shape = shape
        self.data = [Float](repeating: 0, count: text.count)
        self.text = text
    }
}
