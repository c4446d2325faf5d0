import Foundation
import Kernels
import ModelKit

// Convolutions and poolings of channels-first tensors (the layout graph formats such as ONNX
// write): any of 1 to 3 spatial axes, explicit per-side pads, `same` padding with the extra
// cell after (or before, `sameLower`).
extension Executor {
    /// The pads `same` padding puts before and after each spatial axis (output = ceil(n /
    /// stride)): the odd extra cell after, or before when `lower`.
    static func samePads(spatial: [Int], kernel: [Int], strides: [Int], dilation: [Int], lower: Bool) -> (before: [Int], after: [Int]) {
        var before: [Int] = [], after: [Int] = []
        for i in spatial.indices {
            let out = (spatial[i] + strides[i] - 1) / strides[i]
            let total = max((out - 1) * strides[i] + (kernel[i] - 1) * dilation[i] + 1 - spatial[i], 0)
            let b = lower ? total - total / 2 : total / 2
            before.append(b)
            after.append(total - b)
        }
        return (before, after)
    }

    /// The pads before and after each spatial axis of a window over `spatial`.
    static func sidePads(_ g: ConvolutionGeometry, spatial: [Int]) -> (before: [Int], after: [Int]) {
        if let pads = g.pads { return (pads.before, pads.after) }
        guard g.padding == "same" else { return ([Int](repeating: 0, count: g.rank), [Int](repeating: 0, count: g.rank)) }
        return samePads(spatial: spatial, kernel: g.kernelSize, strides: g.strides, dilation: g.dilation, lower: g.sameLower)
    }

    func convolutionChannelsFirst(_ layer: Layer, _ c: ConvolutionOp, _ x: Tensor) throws -> Tensor {
        let g = c.geometry
        guard x.shape.count == g.rank + 2 else { throw fail(layer, "expects an input of rank \(g.rank + 2), found shape \(x.shape)") }
        guard ["same", "valid", "explicit"].contains(g.padding) else { throw fail(layer, "not runnable yet: padding \"\(g.padding)\"") }
        let w = try params(layer, c.useBias ? 2 : 1)
        let (before, after) = Self.sidePads(g, spatial: Array(x.shape[2...]))
        let y = try channelsFirstConvolution(layer, x, kernelSpatialFirst: w[0], bias: c.useBias ? w[1] : nil, strides: g.strides,
                                             dilations: g.dilation, before: before, after: after, groups: c.groups)
        return try ActivationFunctions.apply(c.activation, y, context: "layer \"\(prefix)\(layer.name)\" (\(layer.className))")
    }

    /// Max or average pooling of a channels-first tensor (1 to 3 spatial axes) with explicit
    /// pads, ceil mode and, for averages, padding counted or not.
    func channelsFirstPool(_ layer: Layer, _ w: PoolingWindow, _ x: Tensor, average: Bool) throws -> Tensor {
        let rank = w.layout.spatialRank
        guard x.shape.count == rank + 2 else { throw fail(layer, "expects an input of rank \(rank + 2), found shape \(x.shape)") }
        let spatial = Array(x.shape[2...])
        var before = [Int](repeating: 0, count: rank), after = before
        if let pads = w.pads { before = pads.before; after = pads.after }
        if w.padding == "same" {
            (before, after) = Self.samePads(spatial: spatial, kernel: w.poolSize, strides: w.strides,
                                            dilation: [Int](repeating: 1, count: rank), lower: w.sameLower)
        }
        return try pool(layer, x, kernel: w.poolSize, strides: w.strides, dilation: [Int](repeating: 1, count: rank), before: before,
                        after: after, ceil: w.ceilMode, includePad: w.countIncludePad, average: average, indices: false)[0]
    }

    /// The pooling function of graph formats (dilated windows, MaxPool's indices): its
    /// attributes `kernel_shape`, `strides`, `pads`, `dilations`, `ceil_mode`, `auto_pad`,
    /// `count_include_pad`.
    func poolFunction(_ layer: Layer, _ op: TensorFunctionOp, _ x: Tensor, average: Bool) throws -> [Tensor] {
        let rank = x.shape.count - 2
        guard rank >= 1, rank <= 3, let kernel = op.intList("kernel_shape"), kernel.count == rank else {
            throw fail(layer, "needs a kernel_shape of \(max(rank, 0)) entries for input \(x.shape)")
        }
        let strides = op.intList("strides") ?? Array(repeating: 1, count: rank)
        let dilation = op.intList("dilations") ?? Array(repeating: 1, count: rank)
        let pads = op.intList("pads") ?? Array(repeating: 0, count: 2 * rank)
        guard strides.count == rank, dilation.count == rank, pads.count == 2 * rank else { throw fail(layer, "window attributes do not fit rank \(rank)") }
        var before = Array(pads[..<rank]), after = Array(pads[rank...])
        let auto = op.argument("auto_pad")?.stringValue ?? "NOTSET"
        if auto.hasPrefix("SAME") {
            (before, after) = Self.samePads(spatial: Array(x.shape[2...]), kernel: kernel, strides: strides, dilation: dilation,
                                            lower: auto == "SAME_LOWER")
        } else if auto == "VALID" {
            before = [Int](repeating: 0, count: rank); after = before
        }
        let wantIndices = !average && (op.argument("outputs")?.intValue ?? 1) > 1
        return try pool(layer, x, kernel: kernel, strides: strides, dilation: dilation, before: before, after: after,
                        ceil: (op.argument("ceil_mode")?.intValue ?? 0) != 0, includePad: (op.argument("count_include_pad")?.intValue ?? 0) != 0,
                        average: average, indices: wantIndices)
    }

    /// The pooling loop: windows with dilation over explicit pads; the max's flat index
    /// into the input (row-major) as a second output when `indices`.
    func pool(_ layer: Layer, _ x: Tensor, kernel: [Int], strides: [Int], dilation: [Int], before: [Int], after: [Int], ceil: Bool,
              includePad: Bool, average: Bool, indices: Bool) throws -> [Tensor] {
        let rank = kernel.count
        let spatial = Array(x.shape[2...])
        let out: [Int] = (0..<rank).map { i in
            let extent = (kernel[i] - 1) * dilation[i] + 1
            let span = spatial[i] + before[i] + after[i] - extent
            var o = (ceil ? (span + strides[i] - 1) / strides[i] : span / strides[i]) + 1
            // A last window starting inside the right padding is dropped.
            if ceil && (o - 1) * strides[i] >= spatial[i] + before[i] { o -= 1 }
            return o
        }
        guard out.allSatisfy({ $0 > 0 }), strides.allSatisfy({ $0 > 0 }) else { throw fail(layer, "window \(kernel) does not fit input \(x.shape)") }
        let lead = 3 - rank
        func three(_ v: [Int], _ fill: Int) -> [Int] { [Int](repeating: fill, count: lead) + v }
        let sp3 = three(spatial, 1), o3 = three(out, 1), k3 = three(kernel, 1), s3 = three(strides, 1), d3 = three(dilation, 1)
        let b3 = three(before, 0), a3 = three(after, 0)
        let (n, c) = (x.shape[0], x.shape[1])
        let cells = spatial.reduce(1, *), outCells = out.reduce(1, *)
        var y = [Float](repeating: 0, count: n * c * outCells)
        var where_ = [Float](repeating: 0, count: indices ? y.count : 0)
        x.data.withUnsafeBufferPointer { xp in
            for plane in 0..<(n * c) {
                let base = plane * cells
                for od in 0..<o3[0] { for oh in 0..<o3[1] { for ow in 0..<o3[2] {
                    var acc: Float = average ? 0 : -.infinity
                    var at = -1, counted = 0, padded = 0
                    let start = [od * s3[0] - b3[0], oh * s3[1] - b3[1], ow * s3[2] - b3[2]]
                    for kd in 0..<k3[0] {
                        let d = start[0] + kd * d3[0]
                        guard d < sp3[0] + a3[0] else { continue }
                        for kh in 0..<k3[1] {
                            let h = start[1] + kh * d3[1]
                            guard h < sp3[1] + a3[1] else { continue }
                            for kw in 0..<k3[2] {
                                let ww = start[2] + kw * d3[2]
                                guard ww < sp3[2] + a3[2] else { continue }
                                padded += 1
                                guard d >= 0, d < sp3[0], h >= 0, h < sp3[1], ww >= 0, ww < sp3[2] else { continue }
                                let i = (d * sp3[1] + h) * sp3[2] + ww
                                let v = xp[base + i]
                                if average { acc += v } else if v > acc || at < 0 { acc = v; at = base + i }
                                counted += 1
                            }
                        }
                    }
                    if average { acc /= Float(max(includePad ? padded : counted, 1)) }
                    let o = plane * outCells + (od * o3[1] + oh) * o3[2] + ow
                    y[o] = acc
                    if indices { where_[o] = Float(max(at, 0)) }
                } } }
            }
        }
        let shape = [n, c] + out
        return indices ? [Tensor(shape: shape, data: y), Tensor(shape: shape, data: where_)] : [Tensor(shape: shape, data: y)]
    }
}
