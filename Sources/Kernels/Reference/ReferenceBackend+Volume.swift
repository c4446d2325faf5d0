// Plain Swift 3-D kernels (convolution, transposed convolution, pooling) over NDHWC
// tensors. 1-D and 2-D cases that the 2-D kernels cannot express (transposed convolutions,
// 3-D pooling) run through these with leading spatial axes of length 1.

extension ComputeBackend {
    public func conv3d(_ x: Tensor, kernel: Tensor, bias: Tensor?, window: Window3D, groups: Int) -> Tensor {
        ReferenceBackend.conv3dReference(x, kernel: kernel, bias: bias, window: window, groups: groups)
    }

    public func convTranspose3d(_ x: Tensor, kernel: Tensor, bias: Tensor?, window: Window3D) -> Tensor {
        ReferenceBackend.convTranspose3dReference(x, kernel: kernel, bias: bias, window: window)
    }

    public func pool3d(_ x: Tensor, window: Window3D, average: Bool) -> Tensor {
        ReferenceBackend.pool3dReference(x, window: window, average: average)
    }
}

extension ReferenceBackend {
    /// 3-D convolution. `x` is (n, d, h, w, cin); `kernel` (kd, kh, kw, cin / groups, cout);
    /// `bias` (cout). Output (n, window.output..., cout). Cells outside the input are zero.
    public static func conv3dReference(_ x: Tensor, kernel: Tensor, bias: Tensor?, window: Window3D, groups: Int) -> Tensor {
        precondition(x.shape.count == 5 && kernel.shape.count == 5, "conv3d expects NDHWC input and a 5-D kernel")
        let (n, d, h, w, cin) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3], x.shape[4])
        let (kd, kh, kw, cinG, cout) = (kernel.shape[0], kernel.shape[1], kernel.shape[2], kernel.shape[3], kernel.shape[4])
        precondition(cinG * groups == cin && cout % groups == 0, "conv3d: channels do not fit the kernel and groups")
        let coutG = cout / groups
        let (od, oh, ow) = (window.output[0], window.output[1], window.output[2])
        var out = [Float](repeating: 0, count: n * od * oh * ow * cout)
        x.data.withUnsafeBufferPointer { xp in
            kernel.data.withUnsafeBufferPointer { kp in
                out.withUnsafeMutableBufferPointer { op in
                    for b in 0..<n {
                        for oz in 0..<od {
                            for oy in 0..<oh {
                                for ox in 0..<ow {
                                    let obase = (((b * od + oz) * oh + oy) * ow + ox) * cout
                                    if let bias { for oc in 0..<cout { op[obase + oc] = bias.data[oc] } }
                                    for kz in 0..<kd {
                                        let iz = oz * window.strides[0] + kz * window.dilation[0] - window.padBefore[0]
                                        if iz < 0 || iz >= d { continue }
                                        for ky in 0..<kh {
                                            let iy = oy * window.strides[1] + ky * window.dilation[1] - window.padBefore[1]
                                            if iy < 0 || iy >= h { continue }
                                            for kx in 0..<kw {
                                                let ix = ox * window.strides[2] + kx * window.dilation[2] - window.padBefore[2]
                                                if ix < 0 || ix >= w { continue }
                                                let xbase = (((b * d + iz) * h + iy) * w + ix) * cin
                                                let kbase = ((kz * kh + ky) * kw + kx) * cinG * cout
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
            }
        }
        return Tensor(shape: [n, od, oh, ow, cout], data: out)
    }

    /// 3-D transposed convolution (the adjoint of `conv3dReference` with the same window):
    /// input cell i scatters through kernel tap j into output cell i * stride + j * dilation -
    /// padBefore, when that lies inside `window.output`. `x` is (n, d, h, w, cin); `kernel`
    /// Keras's (kd, kh, kw, filters, cin); `bias` (filters). Output (n, window.output..., filters).
    public static func convTranspose3dReference(_ x: Tensor, kernel: Tensor, bias: Tensor?, window: Window3D) -> Tensor {
        precondition(x.shape.count == 5 && kernel.shape.count == 5, "convTranspose3d expects NDHWC input and a 5-D kernel")
        let (n, d, h, w, cin) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3], x.shape[4])
        let (kd, kh, kw, f) = (kernel.shape[0], kernel.shape[1], kernel.shape[2], kernel.shape[3])
        precondition(kernel.shape[4] == cin, "convTranspose3d: kernel input channels do not fit the input")
        let (od, oh, ow) = (window.output[0], window.output[1], window.output[2])
        var out = [Float](repeating: 0, count: n * od * oh * ow * f)
        x.data.withUnsafeBufferPointer { xp in
            kernel.data.withUnsafeBufferPointer { kp in
                out.withUnsafeMutableBufferPointer { op in
                    for b in 0..<n {
                        for iz in 0..<d {
                            for iy in 0..<h {
                                for ix in 0..<w {
                                    let xbase = (((b * d + iz) * h + iy) * w + ix) * cin
                                    for kz in 0..<kd {
                                        let oz = iz * window.strides[0] + kz * window.dilation[0] - window.padBefore[0]
                                        if oz < 0 || oz >= od { continue }
                                        for ky in 0..<kh {
                                            let oy = iy * window.strides[1] + ky * window.dilation[1] - window.padBefore[1]
                                            if oy < 0 || oy >= oh { continue }
                                            for kx in 0..<kw {
                                                let ox = ix * window.strides[2] + kx * window.dilation[2] - window.padBefore[2]
                                                if ox < 0 || ox >= ow { continue }
                                                let obase = (((b * od + oz) * oh + oy) * ow + ox) * f
                                                let kbase = ((kz * kh + ky) * kw + kx) * f * cin
                                                for oc in 0..<f {
                                                    var acc: Float = 0
                                                    let krow = kbase + oc * cin
                                                    for ci in 0..<cin { acc += xp[xbase + ci] * kp[krow + ci] }
                                                    op[obase + oc] += acc
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    if let bias {
                        let cells = n * od * oh * ow
                        for c in 0..<cells { for oc in 0..<f { op[c * f + oc] += bias.data[oc] } }
                    }
                }
            }
        }
        return Tensor(shape: [n, od, oh, ow, f], data: out)
    }

    /// 3-D max or average pooling over NDHWC; cells outside the input never win and are not
    /// counted in an average (as Keras).
    public static func pool3dReference(_ x: Tensor, window: Window3D, average: Bool) -> Tensor {
        precondition(x.shape.count == 5, "pool3d expects an NDHWC input")
        let (n, d, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3], x.shape[4])
        let (od, oh, ow) = (window.output[0], window.output[1], window.output[2])
        var out = [Float](repeating: 0, count: n * od * oh * ow * c)
        var acc = [Float](repeating: 0, count: c)
        x.data.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                for b in 0..<n {
                    for oz in 0..<od {
                        for oy in 0..<oh {
                            for ox in 0..<ow {
                                for ch in 0..<c { acc[ch] = average ? 0 : -.infinity }
                                var count = 0
                                for kz in 0..<window.kernel[0] {
                                    let iz = oz * window.strides[0] + kz * window.dilation[0] - window.padBefore[0]
                                    if iz < 0 || iz >= d { continue }
                                    for ky in 0..<window.kernel[1] {
                                        let iy = oy * window.strides[1] + ky * window.dilation[1] - window.padBefore[1]
                                        if iy < 0 || iy >= h { continue }
                                        for kx in 0..<window.kernel[2] {
                                            let ix = ox * window.strides[2] + kx * window.dilation[2] - window.padBefore[2]
                                            if ix < 0 || ix >= w { continue }
                                            let xbase = (((b * d + iz) * h + iy) * w + ix) * c
                                            if average {
                                                for ch in 0..<c { acc[ch] += xp[xbase + ch] }
                                            } else {
                                                for ch in 0..<c { acc[ch] = max(acc[ch], xp[xbase + ch]) }
                                            }
                                            count += 1
                                        }
                                    }
                                }
                                let obase = (((b * od + oz) * oh + oy) * ow + ox) * c
                                let inv: Float = count > 0 ? 1 / Float(count) : 0
                                for ch in 0..<c { op[obase + ch] = average ? acc[ch] * inv : acc[ch] }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [n, od, oh, ow, c], data: out)
    }
}
