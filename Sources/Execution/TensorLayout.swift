import ModelKit
import Foundation
import Kernels

/// Axis moves and batched products on row-major tensors, shared by the forward pass's layers.
public enum TensorLayout {
    /// `x` with its axes reordered: output axis i is input axis `perm[i]` (`Tensor.permuted`).
    public static func permute(_ x: Tensor, _ perm: [Int]) -> Tensor { x.permuted(perm) }

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
