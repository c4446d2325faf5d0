extension Tensor {
    /// The tensor with its axes reordered: output axis i is input axis `perm[i]`.
    public func permuted(_ perm: [Int]) -> Tensor {
        let rank = shape.count
        precondition(perm.count == rank && perm.sorted() == Array(0..<rank), "permute: \(perm) is not a permutation of 0..<\(rank)")
        if perm == Array(0..<rank) { return self }
        let inStrides = StridedWalk.strides(shape)
        let outShape = perm.map { shape[$0] }
        var out = [Float](repeating: 0, count: count)
        data.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                StridedWalk.walk(outShape, base: 0, steps: perm.map { inStrides[$0] }) { o, s in dst[o] = src[s] }
            }
        }
        return Tensor(shape: outShape, data: out)
    }
}
