/// Plain Swift kernels: simple loops, written to be obviously correct rather than fast.
/// The reference the faster backends are checked against.
public struct ReferenceBackend: ComputeBackend {
    public init() {}

    public func conv2d(_ x: Tensor, kernel: Tensor, bias: Tensor?, window: Window2D, groups: Int) -> Tensor {
        precondition(x.shape.count == 4 && kernel.shape.count == 4, "conv2d expects NHWC input and a 4-D kernel")
        let (n, h, w, cin) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (kh, kw, cinG, cout) = (kernel.shape[0], kernel.shape[1], kernel.shape[2], kernel.shape[3])
        precondition(cinG * groups == cin && cout % groups == 0, "conv2d: channels do not fit the kernel and groups")
        let coutG = cout / groups
        let (oh, padTop) = window.geometry(axis: 0, length: h)
        let (ow, padLeft) = window.geometry(axis: 1, length: w)
        let (sh, sw) = (window.strides[0], window.strides[1])
        let (dh, dw) = (window.dilation[0], window.dilation[1])
        var out = [Float](repeating: 0, count: n * oh * ow * cout)
        x.data.withUnsafeBufferPointer { xp in
            kernel.data.withUnsafeBufferPointer { kp in
                out.withUnsafeMutableBufferPointer { op in
                    for b in 0..<n {
                        for oy in 0..<oh {
                            for ox in 0..<ow {
                                let obase = ((b * oh + oy) * ow + ox) * cout
                                if let bias {
                                    for oc in 0..<cout { op[obase + oc] = bias.data[oc] }
                                }
                                for ky in 0..<kh {
                                    let iy = oy * sh + ky * dh - padTop
                                    if iy < 0 || iy >= h { continue }
                                    for kx in 0..<kw {
                                        let ix = ox * sw + kx * dw - padLeft
                                        if ix < 0 || ix >= w { continue }
                                        let xbase = ((b * h + iy) * w + ix) * cin
                                        let kbase = (ky * kw + kx) * cinG * cout
                                        for g in 0..<groups {
                                            for ci in 0..<cinG {
                                                let xv = xp[xbase + g * cinG + ci]
                                                let krow = kbase + ci * cout + g * coutG
                                                let orow = obase + g * coutG
                                                for oc in 0..<coutG { op[orow + oc] += xv * kp[krow + oc] }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [n, oh, ow, cout], data: out)
    }

    public func depthwiseConv2d(_ x: Tensor, kernel: Tensor, bias: Tensor?, window: Window2D) -> Tensor {
        // (kh, kw, cin, dm) has the memory layout of a grouped kernel (kh, kw, 1, cin * dm)
        // with groups = cin: output channel c * dm + m reads input channel c.
        let (kh, kw, cin, dm) = (kernel.shape[0], kernel.shape[1], kernel.shape[2], kernel.shape[3])
        let grouped = Tensor(shape: [kh, kw, 1, cin * dm], data: kernel.data)
        return conv2d(x, kernel: grouped, bias: bias, window: window, groups: cin)
    }

    public func dense(_ x: Tensor, kernel: Tensor, bias: Tensor?) -> Tensor {
        let inner = kernel.shape[0], units = kernel.shape[1]
        precondition(x.shape.last == inner, "dense: input's last axis does not fit the kernel")
        let rows = x.count / max(inner, 1)
        var out = [Float](repeating: 0, count: rows * units)
        x.data.withUnsafeBufferPointer { xp in
            kernel.data.withUnsafeBufferPointer { kp in
                out.withUnsafeMutableBufferPointer { op in
                    for r in 0..<rows {
                        let obase = r * units
                        if let bias { for u in 0..<units { op[obase + u] = bias.data[u] } }
                        for i in 0..<inner {
                            let xv = xp[r * inner + i]
                            let krow = i * units
                            for u in 0..<units { op[obase + u] += xv * kp[krow + u] }
                        }
                    }
                }
            }
        }
        var shape = x.shape
        shape[shape.count - 1] = units
        return Tensor(shape: shape, data: out)
    }

    public func maxPool2d(_ x: Tensor, window: Window2D) -> Tensor {
        pool(x, window: window, average: false)
    }

    public func averagePool2d(_ x: Tensor, window: Window2D) -> Tensor {
        pool(x, window: window, average: true)
    }

    private func pool(_ x: Tensor, window: Window2D, average: Bool) -> Tensor {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (oh, padTop) = window.geometry(axis: 0, length: h)
        let (ow, padLeft) = window.geometry(axis: 1, length: w)
        var out = [Float](repeating: 0, count: n * oh * ow * c)
        for b in 0..<n {
            for oy in 0..<oh {
                for ox in 0..<ow {
                    let obase = ((b * oh + oy) * ow + ox) * c
                    for ch in 0..<c {
                        var acc: Float = average ? 0 : -.infinity
                        var count = 0
                        for ky in 0..<window.kernel[0] {
                            let iy = oy * window.strides[0] + ky * window.dilation[0] - padTop
                            if iy < 0 || iy >= h { continue }
                            for kx in 0..<window.kernel[1] {
                                let ix = ox * window.strides[1] + kx * window.dilation[1] - padLeft
                                if ix < 0 || ix >= w { continue }
                                let v = x.data[((b * h + iy) * w + ix) * c + ch]
                                if average { acc += v } else { acc = max(acc, v) }
                                count += 1
                            }
                        }
                        out[obase + ch] = average ? (count > 0 ? acc / Float(count) : 0) : acc
                    }
                }
            }
        }
        return Tensor(shape: [n, oh, ow, c], data: out)
    }
}
