import CDNNL

// 3-D convolution and transposed convolution on oneDNN (1-D and 2-D transposed convolutions
// arrive here as 3-D with leading spatial axes of length 1). Shapes oneDNN cannot take, and
// any oneDNN failure, go to the reference kernels (recorded as fallbacks).
extension DNNLBackend {
    public func conv3d(_ x: Tensor, kernel: Tensor, bias: Tensor?, window: Window3D, groups: Int) -> Tensor {
        let fallback = { ReferenceBackend.conv3dReference(x, kernel: kernel, bias: bias, window: window, groups: groups) }
        guard groups == 1, x.shape.count == 5, kernel.shape.count == 5, kernel.shape[3] == x.shape[4],
              bias.map({ $0.count == kernel.shape[4] }) ?? true, Array(kernel.shape[0..<3]) == window.kernel,
              x.count > 0, kernel.count > 0, window.output.allSatisfy({ $0 > 0 }),
              window.strides.allSatisfy({ $0 > 0 }), window.dilation.allSatisfy({ $0 > 0 })
        else { return fallback() }
        let outShape = [x.shape[0]] + window.output + [kernel.shape[4]]
        return run("3-D convolution", outShape: outShape, fallback: fallback) { call, out in
            try self.volume(call, deconvolution: false, x: x, kernel: kernel, userTag: dnnl_dhwio, bias: bias,
                            window: window, outShape: outShape, out: out)
        }
    }

    public func convTranspose3d(_ x: Tensor, kernel: Tensor, bias: Tensor?, window: Window3D) -> Tensor {
        let fallback = { ReferenceBackend.convTranspose3dReference(x, kernel: kernel, bias: bias, window: window) }
        guard x.shape.count == 5, kernel.shape.count == 5, kernel.shape[4] == x.shape[4],
              bias.map({ $0.count == kernel.shape[3] }) ?? true, Array(kernel.shape[0..<3]) == window.kernel,
              x.count > 0, kernel.count > 0, window.output.allSatisfy({ $0 > 0 }),
              window.strides.allSatisfy({ $0 > 0 }), window.dilation.allSatisfy({ $0 > 0 })
        else { return fallback() }
        // Keras (kd, kh, kw, filters, cin) to (kd, kh, kw, cin, filters), oneDNN's dhwio.
        let (taps, f, cin) = (kernel.shape[0] * kernel.shape[1] * kernel.shape[2], kernel.shape[3], kernel.shape[4])
        var swapped = [Float](repeating: 0, count: kernel.count)
        kernel.data.withUnsafeBufferPointer { kp in
            swapped.withUnsafeMutableBufferPointer { sp in
                for t in 0..<taps {
                    let base = t * f * cin
                    for o in 0..<f { for i in 0..<cin { sp[base + i * f + o] = kp[base + o * cin + i] } }
                }
            }
        }
        let dhwio = Tensor(shape: Array(kernel.shape[0..<3]) + [cin, f], data: swapped)
        let outShape = [x.shape[0]] + window.output + [f]
        return run("3-D transposed convolution", outShape: outShape, fallback: fallback) { call, out in
            try self.volume(call, deconvolution: true, x: x, kernel: dhwio, userTag: dnnl_dhwio, bias: bias,
                            window: window, outShape: outShape, out: out)
        }
    }

    /// One oneDNN (de)convolution over NDHWC; `kernel` is (kd, kh, kw, cin, cout).
    private func volume(
        _ call: Call, deconvolution: Bool, x: Tensor, kernel: Tensor, userTag: dnnl_format_tag_t, bias: Tensor?,
        window: Window3D, outShape: [Int], out: UnsafeMutablePointer<Float>
    ) throws {
        let (n, cin) = (x.shape[0], x.shape[4])
        let cout = kernel.shape[4]
        let spatialIn = Array(x.shape[1...3]), spatialOut = window.output
        var src = try Self.memoryDesc([n, cin] + spatialIn, dnnl_ndhwc)
        var dst = try Self.memoryDesc([n, cout] + spatialOut, dnnl_ndhwc)
        let k = Array(kernel.shape[0..<3])
        let userWeights = try Self.memoryDesc([cout, cin] + k, userTag)
        var anyWeights = try Self.memoryDesc([cout, cin] + k, dnnl_format_tag_any)
        var biasDesc = try Self.memoryDesc([cout], dnnl_a)
        // The padding after: whatever makes oneDNN's length rule hold for the forward
        // convolution from the longer side (it may be negative: cells never reached).
        let (small, large) = deconvolution ? (spatialIn, spatialOut) : (spatialOut, spatialIn)
        var after: [Int] = []
        for a in 0..<3 {
            let keff = (window.kernel[a] - 1) * window.dilation[a] + 1
            after.append((small[a] - 1) * window.strides[a] + keff - large[a] - window.padBefore[a])
        }
        let strides = Self.dims(window.strides), dilates = Self.dims(window.dilation.map { $0 - 1 })
        let padL = Self.dims(window.padBefore), padR = Self.dims(after)
        let pd: dnnl_primitive_desc_t = try withUnsafeMutablePointer(to: &biasDesc) { biasPointer in
            let b = bias != nil ? biasPointer : nil
            if deconvolution {
                var desc = dnnl_deconvolution_desc_t()
                try Self.check(dnnl_dilated_deconvolution_forward_desc_init(
                    &desc, dnnl_forward_inference, dnnl_deconvolution_direct, &src, &anyWeights, b, &dst,
                    strides, dilates, padL, padR), "dilated_deconvolution_forward_desc_init")
                return try call.primitiveDesc(&desc)
            }
            var desc = dnnl_convolution_desc_t()
            try Self.check(dnnl_dilated_convolution_forward_desc_init(
                &desc, dnnl_forward_inference, dnnl_convolution_direct, &src, &anyWeights, b, &dst,
                strides, dilates, padL, padR), "dilated_convolution_forward_desc_init")
            return try call.primitiveDesc(&desc)
        }
        try call.executeWeighted(pd, src: src, x: x, userWeights: userWeights, kernel: kernel, biasDesc: biasDesc, bias: bias,
                                 dst: dst, out: out)
    }
}
