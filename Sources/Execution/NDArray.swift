import Foundation
import Kernels

/// Index arithmetic on row-major tensors of any rank, for the array functions.
enum NDArray {
    /// Row-major strides of `shape`.
    static func strides(_ shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var run = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            s[i] = run
            run *= shape[i]
        }
        return s
    }

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

    /// Visits every output position of `shape` with the input offset that position reads,
    /// the input offset moving by `steps[axis]` per step along each output axis, from
    /// `base`. The innermost axis runs as a plain loop.
    static func walk(_ shape: [Int], base: Int, steps: [Int], _ body: (_ out: Int, _ src: Int) -> Void) {
        let rank = shape.count
        let total = shape.reduce(1, *)
        guard total > 0 else { return }
        guard rank > 0 else { body(0, base); return }
        let inner = shape[rank - 1], innerStep = steps[rank - 1]
        var index = [Int](repeating: 0, count: rank)
        var src = base, o = 0
        while o < total {
            var s = src
            for i in 0..<inner { body(o + i, s); s += innerStep }
            o += inner
            var ax = rank - 2
            while ax >= 0 {
                index[ax] += 1
                src += steps[ax]
                if index[ax] < shape[ax] { break }
                src -= steps[ax] * shape[ax]
                index[ax] = 0
                ax -= 1
            }
        }
    }

    /// `x` read along each axis from `start[axis]` in steps of `step[axis]` into `shape`.
    static func strided(_ x: Tensor, start: [Int], step: [Int], shape: [Int]) -> Tensor {
        let st = strides(x.shape)
        let base = zip(start, st).reduce(0) { $0 + $1.0 * $1.1 }
        let steps = zip(step, st).map { $0 * $1 }
        var out = [Float](repeating: 0, count: shape.reduce(1, *))
        x.data.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                walk(shape, base: base, steps: steps) { o, s in op[o] = xp[s] }
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
                walk(shape, base: 0, steps: steps) { o, s in op[o] = xp[s] }
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
