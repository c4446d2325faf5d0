extension Tensor {
    /// The tensor with its axes reordered: output axis i is input axis `perm[i]`.
    public func permuted(_ perm: [Int]) -> Tensor {
        let x = self
        let rank = x.shape.count
        precondition(perm.count == rank && perm.sorted() == Array(0..<rank), "permute: \(perm) is not a permutation of 0..<\(rank)")
        if perm == Array(0..<rank) { return x }
        var inStrides = [Int](repeating: 1, count: rank)
        for i in stride(from: rank - 2, through: 0, by: -1) { inStrides[i] = inStrides[i + 1] * x.shape[i + 1] }
        let outShape = perm.map { x.shape[$0] }
        let strides = perm.map { inStrides[$0] }
        var out = [Float](repeating: 0, count: x.count)
        guard x.count > 0 else { return Tensor(shape: outShape, data: out) }
        // Odometer over the output; the innermost axis is a strided copy.
        let inner = outShape[rank - 1], innerStride = strides[rank - 1]
        var index = [Int](repeating: 0, count: max(rank - 1, 0))
        x.data.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                var o = 0
                var base = 0
                while o < dst.count {
                    for j in 0..<inner { dst[o + j] = src[base + j * innerStride] }
                    o += inner
                    var a = rank - 2
                    while a >= 0 {
                        index[a] += 1
                        base += strides[a]
                        if index[a] < outShape[a] { break }
                        base -= strides[a] * outShape[a]
                        index[a] = 0
                        a -= 1
                    }
                }
            }
        }
        return Tensor(shape: outShape, data: out)
    }
}
