import Kernels
import ModelKit
import Tensors

// ConvLSTM1D/2D/3D at inference (keras/src/layers/rnn/conv_lstm.py, `ConvLSTMCell.call`):
// per step, the input convolved with the kernel (the layer's strides, dilation and padding,
// plus the bias) and the previous output convolved with the recurrent kernel (stride 1,
// `same`), summed; the four gate blocks of 4·filters channels in Keras's order i, f, c, o:
//   i = σ(x_i + h_i), f = σ(x_f + h_f), c = f·c₋₁ + i·act(x_c + h_c), o = σ(x_o + h_o),
//   h = o·act(c)
// with σ the recurrent activation and act the activation. States start at zero.
extension Executor {
    func runConvLSTM(_ layer: Layer, _ k: ConvLSTMOp, _ args: [Tensor]) throws -> [Tensor] {
        guard args.count == 1 else {
            throw fail(layer, "not runnable yet: called with \(args.count) tensors (initial states are not supported for the convolutional recurrent layers)")
        }
        let rank = k.rank
        var x = args[0]
        guard x.shape.count == rank + 3 else { throw fail(layer, "expected an input of rank \(rank + 3), found \(x.shape)") }
        // Channels last: (batch, time, *spatial, channels).
        if k.channelsFirst { x = x.permuted([0, 1] + Array(3..<(rank + 3)) + [2]) }
        let w = try params(layer, k.useBias ? 3 : 2)
        let kernel = w[0], recurrent = w[1], bias = k.useBias ? w[2] : nil
        let batch = x.shape[0], steps = x.shape[1], channels = x.shape[rank + 2]
        let spatial = Array(x.shape[2..<(rank + 2)])
        let filters = k.filters
        guard let padding = WindowPadding(rawValue: k.padding) else { throw fail(layer, "not runnable yet: padding \"\(k.padding)\"") }
        let context = "layer \"\(prefix)\(layer.name)\" (\(layer.className))"

        // One convolution of a (batch, *spatial, channels) tensor, any rank, NHWC kernels.
        func convolve(_ t: Tensor, _ w: Tensor, _ b: Tensor?, strides: [Int], dilation: [Int], padding: WindowPadding) -> Tensor {
            switch rank {
            case 1:
                let t2 = Tensor(shape: [t.shape[0], 1, t.shape[1], t.shape[2]], data: t.data)
                let w2 = Tensor(shape: [1] + w.shape, data: w.data)
                let win = Window2D(kernel: [1, w.shape[0]], strides: [1, strides[0]], dilation: [1, dilation[0]], padding: padding)
                let y = backend.conv2d(t2, kernel: w2, bias: b, window: win, groups: 1)
                return Tensor(shape: [y.shape[0], y.shape[2], y.shape[3]], data: y.data)
            case 2:
                let win = Window2D(kernel: Array(w.shape[0..<2]), strides: strides, dilation: dilation, padding: padding)
                return backend.conv2d(t, kernel: w, bias: b, window: win, groups: 1)
            default:
                let win = Window3D.forward(input: Array(t.shape[1...3]), kernel: Array(w.shape[0..<3]), strides: strides, dilation: dilation, padding: padding)
                return backend.conv3d(t, kernel: w, bias: b, window: win, groups: 1)
            }
        }

        let stepSize = spatial.reduce(1, *) * channels
        let ones = Array(repeating: 1, count: rank)
        var h: Tensor?
        var c: Tensor?
        var sequence: [Tensor] = []
        let order = k.options.goBackwards ? Array((0..<steps).reversed()) : Array(0..<steps)
        for t in order {
            var xt = Tensor(zeros: [batch] + spatial + [channels])
            for b in 0..<batch {
                let from = (b * steps + t) * stepSize
                xt.data.withUnsafeMutableBufferPointer { dst in
                    x.data.withUnsafeBufferPointer { src in
                        dst.baseAddress!.advanced(by: b * stepSize).update(from: src.baseAddress!.advanced(by: from), count: stepSize)
                    }
                }
            }
            var z = convolve(xt, kernel, bias, strides: k.strides, dilation: k.dilation, padding: padding)
            let outSpatial = Array(z.shape[1..<(rank + 1)])
            let positions = batch * outSpatial.reduce(1, *)
            if h == nil {
                h = Tensor(zeros: [batch] + outSpatial + [filters])
                c = Tensor(zeros: [batch] + outSpatial + [filters])
            }
            let zh = convolve(h!, recurrent, nil, strides: ones, dilation: ones, padding: .same)
            for i in z.data.indices { z.data[i] += zh.data[i] }
            // Gates, each position's 4·filters values split i | f | c | o.
            var gi = Tensor(zeros: [positions, filters]), gf = gi, gc = gi, go = gi
            for p in 0..<positions {
                for f in 0..<filters {
                    let base = p * 4 * filters + f
                    gi.data[p * filters + f] = z.data[base]
                    gf.data[p * filters + f] = z.data[base + filters]
                    gc.data[p * filters + f] = z.data[base + 2 * filters]
                    go.data[p * filters + f] = z.data[base + 3 * filters]
                }
            }
            gi = try ActivationFunctions.apply(k.recurrentActivation, gi, context: context)
            gf = try ActivationFunctions.apply(k.recurrentActivation, gf, context: context)
            gc = try ActivationFunctions.apply(k.activation, gc, context: context)
            go = try ActivationFunctions.apply(k.recurrentActivation, go, context: context)
            var cNew = c!
            for i in cNew.data.indices { cNew.data[i] = gf.data[i] * cNew.data[i] + gi.data[i] * gc.data[i] }
            let actC = try ActivationFunctions.apply(k.activation, cNew, context: context)
            var hNew = h!
            for i in hNew.data.indices { hNew.data[i] = go.data[i] * actC.data[i] }
            h = hNew
            c = cNew
            if k.options.returnSequences { sequence.append(hNew) }
        }
        guard let hLast = h, let cLast = c else { throw fail(layer, "not runnable: the input has no time steps") }
        let stepShape = Array(hLast.shape.dropFirst())
        var output: Tensor
        if k.options.returnSequences {
            // (batch, time, *spatial, filters); with go_backwards Keras returns the steps in the order run.
            let per = stepShape.reduce(1, *)
            var out = Tensor(zeros: [batch, steps] + stepShape)
            for (s, hs) in sequence.enumerated() {
                for b in 0..<batch {
                    for j in 0..<per { out.data[(b * steps + s) * per + j] = hs.data[b * per + j] }
                }
            }
            output = out
        } else {
            output = hLast
        }
        var outputs = [output] + (k.options.returnState ? [hLast, cLast] : [])
        if k.channelsFirst {
            outputs = outputs.map { t in
                let r = t.shape.count
                return t.permuted([0] + (r == rank + 3 ? [1, r - 1] + Array(2..<(r - 1)) : [r - 1] + Array(1..<(r - 1))))
            }
        }
        return outputs
    }
}
