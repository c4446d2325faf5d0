/// Index arithmetic on row-major arrays: strides, and the one odometer that visits every
/// position of an output shape with the source offset it reads (axis moves, broadcasts,
/// strided slices, Fortran-order files).
public enum StridedWalk {
    /// Row-major strides of `shape`.
    @inlinable
    public static func strides(_ shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var run = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            s[i] = run
            run &*= shape[i]
        }
        return s
    }

    /// Visits every position of `shape` in row-major order (`out` counts up from 0) with the
    /// source offset it reads: `base`, moved by `steps[axis]` per step along each axis. The
    /// innermost axis runs as a plain loop.
    @inlinable
    public static func walk(_ shape: [Int], base: Int, steps: [Int], _ body: (_ out: Int, _ src: Int) -> Void) {
        let rank = shape.count
        let total = shape.reduce(1, *)
        guard total > 0 else { return }
        guard rank > 0 else { body(0, base); return }
        let inner = shape[rank - 1], innerStep = steps[rank - 1]
        var index = [Int](repeating: 0, count: rank)
        var src = base, o = 0
        while o < total {
            var s = src
            for i in 0..<inner { body(o &+ i, s); s &+= innerStep }
            o &+= inner
            var ax = rank - 2
            while ax >= 0 {
                index[ax] += 1
                src &+= steps[ax]
                if index[ax] < shape[ax] { break }
                src &-= steps[ax] &* shape[ax]
                index[ax] = 0
                ax -= 1
            }
        }
    }
}
