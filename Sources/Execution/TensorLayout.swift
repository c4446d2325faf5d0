import ModelKit
import Foundation
import Kernels

/// Axis moves and batched products on row-major tensors, shared by the forward pass's layers.
public enum TensorLayout {
    /// `x` with its axes reordered: output axis i is input axis `perm[i]`.
    public static func permute(_ x: Tensor, _ perm: [Int]) -> Tensor {
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

    /// (batch, m, k) times (batch, k, n), row-major: one product per batch entry.
    public static func batchedMatmul(_ a: [Float], _ b: [Float], batch: Int, m: Int, k: Int, n: Int) -> [Float] {
        precondition(a.count == batch * m * k && b.count == batch * k * n, "batchedMatmul: sizes do not fit")
        var out = [Float](repeating: 0, count: batch * m * n)
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                out.withUnsafeMutableBufferPointer { op in
                    for s in 0..<batch {
                        for i in 0..<m {
                            let o = (s * m + i) * n
                            for kk in 0..<k {
                                let v = ap[(s * m + i) * k + kk]
                                let row = (s * k + kk) * n
                                for j in 0..<n { op[o + j] += v * bp[row + j] }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// The permutation that undoes `perm`.
    public static func inverse(_ perm: [Int]) -> [Int] {
        var inv = [Int](repeating: 0, count: perm.count)
        for (i, p) in perm.enumerated() { inv[p] = i }
        return inv
    }
}
