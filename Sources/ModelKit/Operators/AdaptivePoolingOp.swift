/// Pooling to a fixed output size whatever the input size (1 to 3 spatial axes): output
/// position i along an axis of length L pools the window starting at ⌊i·L/n⌋ whose size is
/// ⌈L/n⌉, or ⌈L/n⌉ + 1 where ⌈(i+1)·L/n⌉ − ⌊i·L/n⌋ says so (Keras's two-window rule), axis
/// by axis; average or max. No weights.
public struct AdaptivePoolingOp: Operator, Equatable {
    public var sourceClass: String = ""
    public let outputSize: [Int]
    public let reduction: PoolingOp.Reduction
    public let channelsFirst: Bool

    public init(outputSize: [Int], reduction: PoolingOp.Reduction, channelsFirst: Bool) {
        self.outputSize = outputSize
        self.reduction = reduction
        self.channelsFirst = channelsFirst
    }

    public var family: String { reduction == .max ? "adaptive_max_pool" : "adaptive_average_pool" }
    public var category: LayerCategory { .pooling }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let x = try Shapes.single(inputs, sourceClass)
        let rank = outputSize.count
        try Shapes.require(x, rank: rank + 2, sourceClass)
        let spatial = channelsFirst ? Array(x.dims.dropFirst(2)) : Array(x.dims.dropFirst().dropLast())
        if spatial.contains(where: { $0 == nil }) { throw LayerError("\(sourceClass) needs known spatial sizes, found \(x)") }
        let channels = channelsFirst ? x.dims[1] : x.dims.last!
        let out: [Int?] = outputSize.map { $0 }
        return [TensorShape(channelsFirst ? [x.dims[0], channels] + out : [x.dims[0]] + out + [channels])]
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] { [] }
    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? { 0 }

    /// The window of output `i` along an axis of `length` pooled to `size` (Keras's rule).
    public static func window(_ i: Int, length: Int, size: Int) -> Range<Int> {
        let small = (length + size - 1) / size, big = small + 1
        let start = min((i * length) / size, length - 1)
        let end = min(((i + 1) * length + size - 1) / size, length)
        let width = end - start == big ? big : small
        return start..<min(start + width, length)
    }
}

/// Bucket ids of values: for boundaries b₀ < b₁ < …, a value x gets the number of boundaries
/// ≤ x (numpy `digitize`). Same shape as the input; ids as numbers. No weights.
public struct BucketizeOp: Operator, Equatable {
    public var sourceClass: String = ""
    public let boundaries: [Float]
    public init(boundaries: [Float]) { self.boundaries = boundaries }
    public var family: String { "bucketize" }
    public var category: LayerCategory { .preprocessing }
    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { [try Shapes.single(inputs, sourceClass)] }
    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] { [] }
    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? { 0 }
}
