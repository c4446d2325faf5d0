import ModelKit
import Kernels

/// Layout helpers of the spatial layers: channels-first moves (through
/// `TensorLayout.permute`), NumPy broadcasting and the
/// 3-D view (n, d, h, w, c) that 1-D, 2-D and 3-D spatial layers share.
public enum SpatialTensors {
    /// (n, c, s...) -> (n, s..., c).
    public static func channelsToLast(_ x: Tensor) -> Tensor {
        let r = x.shape.count
        return TensorLayout.permute(x, [0] + Array(2..<r) + [1])
    }

    /// (n, s..., c) -> (n, c, s...).
    public static func channelsToFirst(_ x: Tensor) -> Tensor {
        let r = x.shape.count
        return TensorLayout.permute(x, [0, r - 1] + Array(1..<(r - 1)))
    }

    /// A channels-last tensor of 1 to 3 spatial axes viewed as (n, d, h, w, c), leading
    /// spatial axes of length 1 added.
    public static func volume(_ x: Tensor) -> Tensor {
        let spatial = Array(x.shape[1..<(x.shape.count - 1)])
        let padded = [Int](repeating: 1, count: 3 - spatial.count) + spatial
        return Tensor(shape: [x.shape[0]] + padded + [x.shape[x.shape.count - 1]], data: x.data)
    }

    /// The inverse of `volume`: keeps the last `rank` spatial axes.
    public static func unvolume(_ x: Tensor, rank: Int) -> Tensor {
        Tensor(shape: [x.shape[0]] + Array(x.shape[(4 - rank)..<4]) + [x.shape[4]], data: x.data)
    }

    /// NumPy broadcast shape of `a` and `b`, nil when they do not broadcast.
    public static func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        let pa = [Int](repeating: 1, count: rank - a.count) + a
        let pb = [Int](repeating: 1, count: rank - b.count) + b
        var out: [Int] = []
        for (x, y) in zip(pa, pb) {
            if x == y || y == 1 { out.append(x) } else if x == 1 { out.append(y) } else { return nil }
        }
        return out
    }

    /// `op(a, b)` element-wise with NumPy broadcasting; nil when the shapes do not broadcast.
    public static func broadcast(_ a: Tensor, _ b: Tensor, _ op: (Float, Float) -> Float) -> Tensor? {
        if a.shape == b.shape {
            var y = a
            y.data.withUnsafeMutableBufferPointer { yp in
                b.data.withUnsafeBufferPointer { bp in for i in 0..<yp.count { yp[i] = op(yp[i], bp[i]) } }
            }
            return y
        }
        guard let shape = broadcastShape(a.shape, b.shape) else { return nil }
        let rank = shape.count
        func strides(_ s: [Int]) -> [Int] {
            let p = [Int](repeating: 1, count: rank - s.count) + s
            var st = [Int](repeating: 0, count: rank)
            var run = 1
            for i in stride(from: rank - 1, through: 0, by: -1) {
                st[i] = p[i] == 1 ? 0 : run
                run *= p[i]
            }
            return st
        }
        let sa = strides(a.shape), sb = strides(b.shape)
        let total = shape.reduce(1, *)
        var out = [Float](repeating: 0, count: total)
        // The innermost axis runs as a contiguous loop; the outer ones with an index counter.
        let inner = rank > 0 ? shape[rank - 1] : 1
        let ia = rank > 0 ? sa[rank - 1] : 0, ib = rank > 0 ? sb[rank - 1] : 0
        var index = [Int](repeating: 0, count: max(rank - 1, 0))
        a.data.withUnsafeBufferPointer { ap in
            b.data.withUnsafeBufferPointer { bp in
                out.withUnsafeMutableBufferPointer { op2 in
                    var offA = 0, offB = 0, o = 0
                    while o < total {
                        for i in 0..<inner { op2[o + i] = op(ap[offA + i * ia], bp[offB + i * ib]) }
                        o += inner
                        var ax = rank - 2
                        while ax >= 0 {
                            index[ax] += 1
                            offA += sa[ax]; offB += sb[ax]
                            if index[ax] < shape[ax] { break }
                            offA -= sa[ax] * shape[ax]; offB -= sb[ax] * shape[ax]
                            index[ax] = 0
                            ax -= 1
                        }
                    }
                }
            }
        }
        return Tensor(shape: shape, data: out)
    }

    /// Copies a volume (n, d, h, w, c) into one grown by `before` / `after` cells per spatial
    /// axis (negative: cropped), zeros where nothing is copied.
    public static func reframe(_ x: Tensor, before: [Int], after: [Int]) -> Tensor {
        let (n, d, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3], x.shape[4])
        let od = d + before[0] + after[0], oh = h + before[1] + after[1], ow = w + before[2] + after[2]
        var out = [Float](repeating: 0, count: n * od * oh * ow * c)
        x.data.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                for b in 0..<n {
                    for oz in 0..<od {
                        let iz = oz - before[0]
                        if iz < 0 || iz >= d { continue }
                        for oy in 0..<oh {
                            let iy = oy - before[1]
                            if iy < 0 || iy >= h { continue }
                            for ox in 0..<ow {
                                let ix = ox - before[2]
                                if ix < 0 || ix >= w { continue }
                                let src = (((b * d + iz) * h + iy) * w + ix) * c
                                let dst = (((b * od + oz) * oh + oy) * ow + ox) * c
                                for ch in 0..<c { op[dst + ch] = xp[src + ch] }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [n, od, oh, ow, c], data: out)
    }

    /// Nearest-neighbour up-sampling of a volume by whole factors per spatial axis (each cell
    /// repeated).
    public static func repeatCells(_ x: Tensor, _ size: [Int]) -> Tensor {
        let (n, d, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3], x.shape[4])
        let od = d * size[0], oh = h * size[1], ow = w * size[2]
        var out = [Float](repeating: 0, count: n * od * oh * ow * c)
        x.data.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                for b in 0..<n {
                    for oz in 0..<od {
                        for oy in 0..<oh {
                            for ox in 0..<ow {
                                let src = (((b * d + oz / size[0]) * h + oy / size[1]) * w + ox / size[2]) * c
                                let dst = (((b * od + oz) * oh + oy) * ow + ox) * c
                                for ch in 0..<c { op[dst + ch] = xp[src + ch] }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [n, od, oh, ow, c], data: out)
    }

    /// Bilinear resize of NHWC to (oh, ow) with half-pixel centres and no antialiasing: source
    /// coordinate (o + 0.5) * in / out - 0.5, neighbours clamped to the image.
    public static func resizeBilinear(_ x: Tensor, height oh: Int, width ow: Int) -> Tensor {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        func weights(_ out: Int, _ length: Int) -> [(lo: Int, hi: Int, t: Float)] {
            let scale = Float(length) / Float(out)
            return (0..<out).map { o in
                let src = (Float(o) + 0.5) * scale - 0.5
                let f = src.rounded(.down)
                let lo = max(Int(f), 0), hi = min(Int(src.rounded(.up)), length - 1)
                return (lo, hi, src - f)
            }
        }
        let wy = weights(oh, h), wx = weights(ow, w)
        var out = [Float](repeating: 0, count: n * oh * ow * c)
        x.data.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                for b in 0..<n {
                    for oy in 0..<oh {
                        let (y0, y1, ty) = wy[oy]
                        for ox in 0..<ow {
                            let (x0, x1, tx) = wx[ox]
                            let p00 = ((b * h + y0) * w + x0) * c, p01 = ((b * h + y0) * w + x1) * c
                            let p10 = ((b * h + y1) * w + x0) * c, p11 = ((b * h + y1) * w + x1) * c
                            let dst = ((b * oh + oy) * ow + ox) * c
                            for ch in 0..<c {
                                let top = xp[p00 + ch] + (xp[p01 + ch] - xp[p00 + ch]) * tx
                                let bottom = xp[p10 + ch] + (xp[p11 + ch] - xp[p10 + ch]) * tx
                                op[dst + ch] = top + (bottom - top) * ty
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [n, oh, ow, c], data: out)
    }

    /// Nearest-neighbour resize of NHWC to (oh, ow) with half-pixel centres: source index
    /// min(floor((o + 0.5) * in / out), in - 1).
    public static func resizeNearest(_ x: Tensor, height oh: Int, width ow: Int) -> Tensor {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        func source(_ out: Int, _ length: Int) -> [Int] {
            let scale = Float(length) / Float(out)
            return (0..<out).map { o in min(Int(((Float(o) + 0.5) * scale).rounded(.down)), length - 1) }
        }
        let sy = source(oh, h), sx = source(ow, w)
        var out = [Float](repeating: 0, count: n * oh * ow * c)
        x.data.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                for b in 0..<n {
                    for oy in 0..<oh {
                        for ox in 0..<ow {
                            let src = ((b * h + sy[oy]) * w + sx[ox]) * c
                            let dst = ((b * oh + oy) * ow + ox) * c
                            for ch in 0..<c { op[dst + ch] = xp[src + ch] }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [n, oh, ow, c], data: out)
    }
}
