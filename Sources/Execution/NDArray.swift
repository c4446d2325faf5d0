import Foundation
import Tensors
import Kernels

/// Index arithmetic on row-major tensors of any rank, for the array functions.
enum NDArray {
    /// Row-major strides of `shape`.
    static func strides(_ shape: [Int]) -> [Int] { StridedWalk.strides(shape) }

    /// Integers of a tensor holding whole numbers (indices, sizes, axes), clamped to ±2^62 so
    /// an `INT64_MAX` end stored as a float does not trap.
    static func ints(_ t: Tensor) -> [Int] {
        t.data.map { v in
            if v.isNaN { return 0 }
            if v >= 4.6e18 { return 1 << 62 }
            if v <= -4.6e18 { return -(1 << 62) }
            return Int(v)
        }
    }

    static func tensor(ints: [Int], shape: [Int]? = nil) -> Tensor {
        Tensor(shape: shape ?? [ints.count], data: ints.map { Float($0) })
    }

    /// `x` read along each axis from `start[axis]` in steps of `step[axis]` into `shape`.
    static func strided(_ x: Tensor, start: [Int], step: [Int], shape: [Int]) -> Tensor {
        let st = strides(x.shape)
        let base = zip(start, st).reduce(0) { $0 + $1.0 * $1.1 }
        let steps = zip(step, st).map { $0 * $1 }
        var out = [Float](repeating: 0, count: shape.reduce(1, *))
        x.data.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                StridedWalk.walk(shape, base: base, steps: steps) { o, s in op[o] = xp[s] }
            }
        }
        return Tensor(shape: shape, data: out)
    }

    /// `x` broadcast to `shape` (NumPy rules; the caller checked they fit).
    static func expand(_ x: Tensor, to shape: [Int]) -> Tensor {
        if x.shape == shape { return x }
        let rank = shape.count
        let padded = [Int](repeating: 1, count: rank - x.shape.count) + x.shape
        let st = strides(padded)
        let steps = (0..<rank).map { padded[$0] == 1 ? 0 : st[$0] }
        var out = [Float](repeating: 0, count: shape.reduce(1, *))
        x.data.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                StridedWalk.walk(shape, base: 0, steps: steps) { o, s in op[o] = xp[s] }
            }
        }
        return Tensor(shape: shape, data: out)
    }

    /// The axis `a` of a tensor of rank `rank`, negative counting from the end; nil when out
    /// of range.
    static func axis(_ a: Int, _ rank: Int) -> Int? {
        let n = a < 0 ? a + rank : a
        return n >= 0 && n < max(rank, 1) ? n : nil
    }

    /// (outer, length, inner) sizes around `axis`.
    static func around(_ shape: [Int], _ axis: Int) -> (outer: Int, length: Int, inner: Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }
}
