import ModelKit
import Foundation
import Kernels

// Spatial and preprocessing layers beyond the 2-D core (1-D and 3-D convolutions,
// transposed convolutions, up-sampling, cropping, rescaling, normalisation) and inline
// tensor functions. Called from `Executor.runLayer` for the operators its own switch does
// not run.
extension Executor {
    /// The outputs of `layer` on `args` when this file runs its class, otherwise nil.
    func runSpatialLayer(_ layer: Layer, _ args: [Tensor]) throws -> [Tensor]? {
        let context = "layer \"\(prefix)\(layer.name)\" (\(layer.className))"
        switch layer.kind {
        // Convolutions
        case let c as ConvolutionOp where c.geometry.rank == 1:
            let x = try channelsLast(layer, try single(layer, args), c.geometry.channelsFirst, rank: 3)
            let w = try params(layer, c.useBias ? 2 : 1)
            let (x2, win) = try line(layer, x, c.geometry)
            let kernel = Tensor(shape: [1] + w[0].shape, data: w[0].data)
            let y = backend.conv2d(x2, kernel: kernel, bias: c.useBias ? w[1] : nil, window: win, groups: c.groups)
            return [try channelsBack(ActivationFunctions.apply(c.activation, unline(y), context: context), c.geometry.channelsFirst)]

        case let c as DepthwiseConvolutionOp where c.geometry.rank == 1:
            let x = try channelsLast(layer, try single(layer, args), c.geometry.channelsFirst, rank: 3)
            let w = try params(layer, c.useBias ? 2 : 1)
            let (x2, win) = try line(layer, x, c.geometry)
            let kernel = Tensor(shape: [1] + w[0].shape, data: w[0].data)
            let y = backend.depthwiseConv2d(x2, kernel: kernel, bias: c.useBias ? w[1] : nil, window: win)
            return [try channelsBack(ActivationFunctions.apply(c.activation, unline(y), context: context), c.geometry.channelsFirst)]

        case let c as SeparableConvolutionOp where c.geometry.rank == 1:
            let x = try channelsLast(layer, try single(layer, args), c.geometry.channelsFirst, rank: 3)
            let w = try params(layer, c.useBias ? 3 : 2)
            let (x2, win) = try line(layer, x, c.geometry)
            let d = backend.depthwiseConv2d(x2, kernel: Tensor(shape: [1] + w[0].shape, data: w[0].data), bias: nil, window: win)
            let one = Window2D(kernel: [1, 1], strides: [1, 1], padding: .valid)
            let y = backend.conv2d(d, kernel: Tensor(shape: [1] + w[1].shape, data: w[1].data), bias: c.useBias ? w[2] : nil, window: one, groups: 1)
            return [try channelsBack(ActivationFunctions.apply(c.activation, unline(y), context: context), c.geometry.channelsFirst)]

        case let c as ConvolutionOp where c.geometry.rank == 3:
            let g = c.geometry
            let x = try channelsLast(layer, try single(layer, args), g.channelsFirst, rank: 5)
            let w = try params(layer, c.useBias ? 2 : 1)
            guard let p = WindowPadding(rawValue: g.padding) else { throw fail(layer, "not runnable yet: padding \"\(g.padding)\"") }
            let win = Window3D.forward(input: Array(x.shape[1...3]), kernel: g.kernelSize, strides: g.strides, dilation: g.dilation, padding: p)
            let y = backend.conv3d(x, kernel: w[0], bias: c.useBias ? w[1] : nil, window: win, groups: c.groups)
            return [try channelsBack(ActivationFunctions.apply(c.activation, y, context: context), g.channelsFirst)]

        case let k as TransposedConvolutionOp where k.geometry.rank == 1: return [try transposed(layer, k, args, rank: 1)]
        case let k as TransposedConvolutionOp where k.geometry.rank == 2: return [try transposed(layer, k, args, rank: 2)]
        case let k as TransposedConvolutionOp where k.geometry.rank == 3: return [try transposed(layer, k, args, rank: 3)]

        // Pooling
        case let k as PoolingOp where k.reduction == .max && k.spatialRank == 1: return [try pool(layer, k.window, args, average: false)]
        case let k as PoolingOp where k.reduction == .average && k.spatialRank == 1: return [try pool(layer, k.window, args, average: true)]
        case let k as PoolingOp where k.reduction == .max && k.spatialRank == 3: return [try pool(layer, k.window, args, average: false)]
        case let k as PoolingOp where k.reduction == .average && k.spatialRank == 3: return [try pool(layer, k.window, args, average: true)]
        case let k as GlobalPoolingOp where k.kind == .average && k.spatialRank == 1: return [try globalPoolND(layer, k.reduction, args, average: true)]
        case let k as GlobalPoolingOp where k.kind == .max && k.spatialRank == 1: return [try globalPoolND(layer, k.reduction, args, average: false)]
        case let k as GlobalPoolingOp where k.kind == .average && k.spatialRank == 3: return [try globalPoolND(layer, k.reduction, args, average: true)]
        case let k as GlobalPoolingOp where k.kind == .max && k.spatialRank == 3: return [try globalPoolND(layer, k.reduction, args, average: false)]

        // Reshaping
        case let k as UpSamplingOp: return [try upSample(layer, k, args)]
        case let k as CroppingOp: return [try reframe(layer, k.layout, k.amounts, args, sign: -1)]
        case let k as ZeroPaddingOp where k.layout.spatialRank != 2: return [try reframe(layer, k.layout, k.amounts, args, sign: 1)]

        // Preprocessing and scaling
        case let k as RescaleOp:
            let x = try single(layer, args)
            let scale = Self.constant(k.scale), offset = Self.constant(k.offset)
            guard let scaled = SpatialTensors.broadcast(x, scale, *), let y = SpatialTensors.broadcast(scaled, offset, +) else {
                throw fail(layer, "scale \(scale.shape) or offset \(offset.shape) does not fit input \(x.shape)")
            }
            return [y]
        case let k as StandardizeOp:
            return [try normalize(layer, k, single(layer, args))]
        case is LayerScaleOp:
            let x = try single(layer, args)
            let w = try params(layer, 1)
            guard let y = SpatialTensors.broadcast(x, w[0], *) else { throw fail(layer, "scale \(w[0].shape) does not fit input \(x.shape)") }
            return [y]
        case let k as ConstantScaleOp:
            guard args.count == 2 else { throw fail(layer, "expects two inputs, given \(args.count)") }
            let s = Float(k.scale)
            guard let y = SpatialTensors.broadcast(args[0], args[1], { $0 + $1 * s }) else {
                throw fail(layer, "inputs \(args.map(\.shape)) do not broadcast")
            }
            return [y]
        case is PReLUOp:
            let x = try single(layer, args)
            let w = try params(layer, 1)
            let alpha = Tensor(shape: [1] + w[0].shape, data: w[0].data)
            guard let y = SpatialTensors.broadcast(x, alpha, { $0 >= 0 ? $0 : $0 * $1 }) else {
                throw fail(layer, "alpha \(w[0].shape) does not fit input \(x.shape)")
            }
            return [y]

        case let k as ResizeOp:
            guard !k.cropToAspectRatio, !k.padToAspectRatio else { throw fail(layer, "not runnable yet: crop_to_aspect_ratio / pad_to_aspect_ratio") }
            let x = try channelsLast(layer, try single(layer, args), k.target.channelsFirst, rank: 4)
            let y: Tensor
            switch k.interpolation {
            case "bilinear": y = SpatialTensors.resizeBilinear(x, height: k.target.height, width: k.target.width)
            case "nearest": y = SpatialTensors.resizeNearest(x, height: k.target.height, width: k.target.width)
            default: throw fail(layer, "not runnable yet: interpolation \"\(k.interpolation)\"")
            }
            return [channelsBack(y, k.target.channelsFirst)]
        case let k as CenterCropOp:
            let x = try channelsLast(layer, try single(layer, args), k.target.channelsFirst, rank: 4)
            let (h, w) = (x.shape[1], x.shape[2])
            guard h >= k.target.height, w >= k.target.width else {
                throw fail(layer, "not runnable yet: input \(x.shape) smaller than the crop \(k.target.height)x\(k.target.width) (\(formatName) resizes then)")
            }
            // The crop starts at (size - target) // 2 on each axis.
            let top = (h - k.target.height) / 2, left = (w - k.target.width) / 2
            let before = [0, -top, -left], after = [0, -(h - k.target.height - top), -(w - k.target.width - left)]
            let v = SpatialTensors.reframe(SpatialTensors.volume(x), before: before, after: after)
            return [channelsBack(SpatialTensors.unvolume(v, rank: 2), k.target.channelsFirst)]

        case let k as TensorFunctionOp:
            return [try operation(layer, k, args)]

        default:
            return nil
        }
    }

    /// A channels-first 2-D convolution: NCHW to NHWC, the backend's convolution, back.
    func conv2dChannelsFirst(_ layer: Layer, _ c: ConvolutionOp, _ args: [Tensor]) throws -> [Tensor] {
        let g = c.geometry
        let x = try channelsLast(layer, try single(layer, args), true, rank: 4)
        let w = try params(layer, c.useBias ? 2 : 1)
        guard let p = WindowPadding(rawValue: g.padding) else { throw fail(layer, "not runnable yet: padding \"\(g.padding)\"") }
        let win = Window2D(kernel: g.kernelSize, strides: g.strides, dilation: g.dilation, padding: p)
        let y = backend.conv2d(x, kernel: w[0], bias: c.useBias ? w[1] : nil, window: win, groups: c.groups)
        let context = "layer \"\(prefix)\(layer.name)\" (\(layer.className))"
        return [channelsBack(try ActivationFunctions.apply(c.activation, y, context: context), true)]
    }

    // MARK: - Layout

    /// `x` (rank `rank`) in channels-last order.
    private func channelsLast(_ layer: Layer, _ x: Tensor, _ channelsFirst: Bool, rank: Int) throws -> Tensor {
        guard x.shape.count == rank else { throw fail(layer, "expects an input of rank \(rank), found shape \(x.shape)") }
        return channelsFirst ? SpatialTensors.channelsToLast(x) : x
    }

    private func channelsBack(_ y: Tensor, _ channelsFirst: Bool) -> Tensor {
        channelsFirst ? SpatialTensors.channelsToFirst(y) : y
    }

    /// A (n, steps, c) sequence as an NHWC image of height 1 and the 2-D window of a 1-D
    /// geometry; causal padding becomes explicit zeros before the first step, then `valid`.
    private func line(_ layer: Layer, _ x: Tensor, _ g: ConvolutionGeometry) throws -> (Tensor, Window2D) {
        var x2 = Tensor(shape: [x.shape[0], 1, x.shape[1], x.shape[2]], data: x.data)
        var padding = g.padding
        if padding == "causal" {
            let left = (g.kernelSize[0] - 1) * g.dilation[0]
            x2 = SpatialTensors.unvolume(SpatialTensors.reframe(SpatialTensors.volume(x2), before: [0, 0, left], after: [0, 0, 0]), rank: 2)
            padding = "valid"
        }
        guard let p = WindowPadding(rawValue: padding) else { throw fail(layer, "not runnable yet: padding \"\(g.padding)\"") }
        return (x2, Window2D(kernel: [1, g.kernelSize[0]], strides: [1, g.strides[0]], dilation: [1, g.dilation[0]], padding: p))
    }

    private func unline(_ y: Tensor) -> Tensor {
        Tensor(shape: [y.shape[0], y.shape[2], y.shape[3]], data: y.data)
    }

    // MARK: - Transposed convolution

    /// A transposed convolution of 1 to 3 spatial axes: the output length per axis as the
    /// shape rule gives it (`ConvolutionGeometry.transposeOutput`), and the adjoint of a
    /// forward convolution from that length with the node's padding (`same`: a total of
    /// max((in - 1) * stride + k_eff - out, 0), the smaller half before).
    private func transposed(_ layer: Layer, _ c: TransposedConvolutionOp, _ args: [Tensor], rank: Int) throws -> Tensor {
        let g = c.geometry
        let x = try channelsLast(layer, try single(layer, args), g.channelsFirst, rank: rank + 2)
        let w = try params(layer, c.useBias ? 2 : 1)
        let v = SpatialTensors.volume(x)
        let lead = 3 - rank
        var kernel: [Int] = [], strides: [Int] = [], dilation: [Int] = [], pad: [Int] = [], out: [Int] = []
        for a in 0..<3 {
            guard a >= lead else {
                kernel.append(1); strides.append(1); dilation.append(1); pad.append(0); out.append(1)
                continue
            }
            let i = a - lead
            let length = v.shape[1 + a]
            let (k, s, d) = (g.kernelSize[i], g.strides[i], g.dilation[i])
            let keff = (k - 1) * d + 1
            var o: Int
            var before = 0
            if let pads = g.pads, i < pads.before.count, i < pads.after.count {
                // Explicit pads crop the full output: (in - 1) * stride + k_eff + output padding - pads.
                before = pads.before[i]
                o = (length - 1) * s + keff + (c.outputPadding?[i] ?? 0) - pads.before[i] - pads.after[i]
            } else if let op = c.outputPadding {
                let p = g.padding == "same" ? keff / 2 : 0
                o = (length - 1) * s + keff - 2 * p + op[i]
            } else {
                o = g.padding == "valid" ? length * s + max(keff - s, 0) : length * s
            }
            guard o > 0 else { throw fail(layer, "output length \(o) on spatial axis \(i) for input \(x.shape)") }
            if g.pads == nil { before = g.padding == "same" ? max((length - 1) * s + keff - o, 0) / 2 : 0 }
            kernel.append(k); strides.append(s); dilation.append(d); pad.append(before); out.append(o)
        }
        let kshape = [Int](repeating: 1, count: lead) + w[0].shape
        let win = Window3D(kernel: kernel, strides: strides, dilation: dilation, padBefore: pad, output: out)
        let y = backend.convTranspose3d(v, kernel: Tensor(shape: kshape, data: w[0].data), bias: c.useBias ? w[1] : nil, window: win)
        let context = "layer \"\(prefix)\(layer.name)\" (\(layer.className))"
        let act = try ActivationFunctions.apply(c.activation, SpatialTensors.unvolume(y, rank: rank), context: context)
        return channelsBack(act, g.channelsFirst)
    }

    // MARK: - Pooling, resampling, cropping

    func pool(_ layer: Layer, _ w: PoolingWindow, _ args: [Tensor], average: Bool) throws -> Tensor {
        let rank = w.layout.spatialRank
        let x = try channelsLast(layer, try single(layer, args), w.layout.channelsFirst, rank: rank + 2)
        guard let p = WindowPadding(rawValue: w.padding) else { throw fail(layer, "not runnable yet: padding \"\(w.padding)\"") }
        if rank == 1 {
            let x2 = Tensor(shape: [x.shape[0], 1, x.shape[1], x.shape[2]], data: x.data)
            let win = Window2D(kernel: [1, w.poolSize[0]], strides: [1, w.strides[0]], padding: p)
            let y = average ? backend.averagePool2d(x2, window: win) : backend.maxPool2d(x2, window: win)
            return channelsBack(unline(y), w.layout.channelsFirst)
        }
        let v = SpatialTensors.volume(x)
        let lead = [Int](repeating: 1, count: 3 - rank)
        let win = Window3D.forward(input: Array(v.shape[1...3]), kernel: lead + w.poolSize, strides: lead + w.strides,
                                   dilation: [1, 1, 1], padding: p)
        return channelsBack(SpatialTensors.unvolume(backend.pool3d(v, window: win, average: average), rank: rank), w.layout.channelsFirst)
    }

    func globalPoolND(_ layer: Layer, _ r: GlobalPoolingReduction, _ args: [Tensor], average: Bool) throws -> Tensor {
        let rank = r.layout.spatialRank
        let x = try channelsLast(layer, try single(layer, args), r.layout.channelsFirst, rank: rank + 2)
        let n = x.shape[0], c = x.shape[x.shape.count - 1]
        let cells = x.count / max(n * c, 1)
        var out = [Float](repeating: average ? 0 : -.infinity, count: n * c)
        x.data.withUnsafeBufferPointer { xp in
            for b in 0..<n {
                for p in 0..<cells {
                    let base = (b * cells + p) * c
                    for ch in 0..<c {
                        out[b * c + ch] = average ? out[b * c + ch] + xp[base + ch] : max(out[b * c + ch], xp[base + ch])
                    }
                }
            }
        }
        if average { for i in out.indices { out[i] /= Float(cells) } }
        guard r.keepDims else { return Tensor(shape: [n, c], data: out) }
        let ones = [Int](repeating: 1, count: rank)
        return Tensor(shape: r.layout.channelsFirst ? [n, c] + ones : [n] + ones + [c], data: out)
    }

    private func upSample(_ layer: Layer, _ u: UpSamplingOp, _ args: [Tensor]) throws -> Tensor {
        let rank = u.layout.spatialRank
        let x = try channelsLast(layer, try single(layer, args), u.layout.channelsFirst, rank: rank + 2)
        switch u.interpolation {
        case "nearest":
            let v = SpatialTensors.repeatCells(SpatialTensors.volume(x), [Int](repeating: 1, count: 3 - rank) + u.size)
            return channelsBack(SpatialTensors.unvolume(v, rank: rank), u.layout.channelsFirst)
        case "bilinear" where rank == 2:
            let y = SpatialTensors.resizeBilinear(x, height: x.shape[1] * u.size[0], width: x.shape[2] * u.size[1])
            return channelsBack(y, u.layout.channelsFirst)
        default:
            throw fail(layer, "not runnable yet: interpolation \"\(u.interpolation)\"")
        }
    }

    /// ZeroPadding (sign 1) or Cropping (sign -1) of 1 to 3 spatial axes.
    func reframe(_ layer: Layer, _ layout: SpatialLayout, _ amounts: EdgeAmounts, _ args: [Tensor], sign: Int) throws -> Tensor {
        let rank = layout.spatialRank
        let x = try channelsLast(layer, try single(layer, args), layout.channelsFirst, rank: rank + 2)
        let lead = [Int](repeating: 0, count: 3 - rank)
        let before = lead + amounts.pairs.map { $0.before * sign }, after = lead + amounts.pairs.map { $0.after * sign }
        for a in 0..<3 where a >= 3 - rank {
            guard SpatialTensors.volume(x).shape[1 + a] + before[a] + after[a] > 0 else {
                throw fail(layer, "cropping \(amounts.pairs.map { [$0.before, $0.after] }) leaves nothing of input \(x.shape)")
            }
        }
        let v = SpatialTensors.reframe(SpatialTensors.volume(x), before: before, after: after)
        return channelsBack(SpatialTensors.unvolume(v, rank: rank), layout.channelsFirst)
    }

    // MARK: - Preprocessing

    /// Numbers as a tensor: a scalar for one, a list laid along the last axis otherwise.
    static func constant(_ values: [Double]) -> Tensor {
        values.count == 1 ? Tensor(shape: [], data: [Float(values[0])]) : Tensor(shape: [values.count], data: values.map(Float.init))
    }

    /// Standardization: `(x - mean) / max(sqrt(variance), epsilon)` with epsilon 1e-7, or,
    /// inverted, `mean + x * max(sqrt(variance), epsilon)`; the statistics from the node's
    /// record or the weights, laid along the kept axes.
    private func normalize(_ layer: Layer, _ k: StandardizeOp, _ x: Tensor) throws -> Tensor {
        var mean: Tensor, variance: Tensor
        if k.hasGivenStatistics {
            mean = Self.constant(k.mean)
            variance = Self.constant(k.variance)
        } else {
            let w = try params(layer, 3)
            mean = w[0]; variance = w[1]
        }
        let kept = try k.axes.map { a -> Int in
            guard let i = TensorShape(x.shape).normalizedAxis(a) else { throw fail(layer, "axis \(a) out of range for input \(x.shape)") }
            return i
        }.sorted()
        // Lay the statistics out along the kept axes, sizes 1 elsewhere, so they broadcast.
        func laid(_ t: Tensor) throws -> Tensor {
            if t.count == 1 { return Tensor(shape: [], data: t.data) }
            var shape = [Int](repeating: 1, count: x.shape.count)
            for a in kept { shape[a] = x.shape[a] }
            guard shape.reduce(1, *) == t.count else {
                throw fail(layer, "statistics of \(t.count) values do not fit axes \(k.axes) of input \(x.shape)")
            }
            return Tensor(shape: shape, data: t.data)
        }
        mean = try laid(mean); variance = try laid(variance)
        let invert = k.invert
        var std = variance
        for i in std.data.indices { std.data[i] = max(std.data[i].squareRoot(), 1e-7) }
        if invert {
            guard let scaled = SpatialTensors.broadcast(x, std, *), let y = SpatialTensors.broadcast(scaled, mean, +) else {
                throw fail(layer, "statistics do not fit input \(x.shape)")
            }
            return y
        }
        guard let centred = SpatialTensors.broadcast(x, mean, -), let y = SpatialTensors.broadcast(centred, std, /) else {
            throw fail(layer, "statistics do not fit input \(x.shape)")
        }
        return y
    }
}
