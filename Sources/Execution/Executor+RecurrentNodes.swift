import Foundation
import Kernels
import ModelKit

// The recurrent nodes of graph formats (`lstm`, `gru`, `rnn` functions): weights as graph
// tensors, gates stacked (LSTM: input, output, forget, cell; GRU: update, reset, hidden),
// one or two directions, per-sequence lengths, initial states, peepholes.
extension Executor {
    func recurrentNode(_ layer: Layer, _ op: TensorFunctionOp, _ xs: [Tensor?]) throws -> [Tensor] {
        let kind = op.function
        let gates = kind == "lstm" ? 4 : kind == "gru" ? 3 : 1
        guard let hidden = op.argument("hidden_size")?.intValue, hidden > 0 else { throw fail(layer, "needs its hidden size") }
        let dirs = op.argument("directions")?.intValue ?? 1
        let batchFirst = (op.argument("layout")?.intValue ?? 0) == 1
        let reverseOnly = op.argument("direction")?.stringValue == "reverse"
        if let acts = op.argument("activations")?.arrayValue?.compactMap(\.stringValue) {
            let standard = kind == "lstm" ? ["Sigmoid", "Tanh", "Tanh"] : kind == "gru" ? ["Sigmoid", "Tanh"] : ["Tanh"]
            guard acts.count == standard.count * dirs, acts == Array([[String]](repeating: standard, count: dirs).joined()) else {
                throw fail(layer, "not runnable yet: activations \(acts)")
            }
        }
        let clip = op.argument("clip")?.doubleValue.map(Float.init)
        let coupled = (op.argument("input_forget")?.intValue ?? 0) != 0
        let linearBeforeReset = (op.argument("linear_before_reset")?.intValue ?? 0) != 0
        func arg(_ i: Int) -> Tensor? { i < xs.count ? xs[i] : nil }
        guard var x = arg(0), let w = arg(1), let r = arg(2), x.shape.count == 3 else { throw fail(layer, "needs X, W and R") }
        if batchFirst { x = x.permuted([1, 0, 2]) }
        let (steps, batch, features) = (x.shape[0], x.shape[1], x.shape[2])
        let g = gates * hidden
        guard w.shape == [dirs, g, features], r.shape == [dirs, g, hidden] else {
            throw fail(layer, "W \(w.shape) and R \(r.shape) do not fit \(dirs) direction(s), \(gates) gate(s) of \(hidden) and \(features) features")
        }
        let bias = arg(3)
        let lengths = arg(4).map(NDArray.ints) ?? Array(repeating: steps, count: batch)
        var h0 = arg(5), c0 = kind == "lstm" ? arg(6) : nil
        let peep = kind == "lstm" ? arg(7) : nil
        if batchFirst { h0 = h0?.permuted([1, 0, 2]); c0 = c0?.permuted([1, 0, 2]) }
        var y = [Float](repeating: 0, count: steps * dirs * batch * hidden)
        var yh = [Float](repeating: 0, count: dirs * batch * hidden), yc = yh
        func sigmoid(_ v: Float) -> Float { 1 / (1 + expf(-v)) }
        func clipped(_ v: Float) -> Float { clip.map { min(max(v, -$0), $0) } ?? v }
        for d in 0..<dirs {
            let reverse = d == 1 || reverseOnly
            let wd = d * g * features, rd = d * g * hidden
            for b in 0..<batch {
                var h = (0..<hidden).map { h0?.data[(d * batch + b) * hidden + $0] ?? 0 }
                var c = (0..<hidden).map { c0?.data[(d * batch + b) * hidden + $0] ?? 0 }
                let n = min(max(lengths[b], 0), steps)
                var pre = [Float](repeating: 0, count: g), rec = [Float](repeating: 0, count: g)
                for t in 0..<n {
                    let step = reverse ? n - 1 - t : t
                    let xt = (step * batch + b) * features
                    for k in 0..<g {
                        var a: Float = bias.map { $0.data[d * 2 * g + k] } ?? 0
                        var q: Float = bias.map { $0.data[d * 2 * g + g + k] } ?? 0
                        for f in 0..<features { a += x.data[xt + f] * w.data[wd + k * features + f] }
                        for j in 0..<hidden { q += h[j] * r.data[rd + k * hidden + j] }
                        pre[k] = a; rec[k] = q
                    }
                    switch kind {
                    case "lstm":
                        for j in 0..<hidden {
                            let pi = peep.map { $0.data[d * 3 * hidden + j] } ?? 0
                            let po = peep.map { $0.data[d * 3 * hidden + hidden + j] } ?? 0
                            let pf = peep.map { $0.data[d * 3 * hidden + 2 * hidden + j] } ?? 0
                            let i = sigmoid(clipped(pre[j] + rec[j] + pi * c[j]))
                            var f = sigmoid(clipped(pre[2 * hidden + j] + rec[2 * hidden + j] + pf * c[j]))
                            if coupled { f = 1 - i }
                            let cc = tanhf(clipped(pre[3 * hidden + j] + rec[3 * hidden + j]))
                            c[j] = f * c[j] + i * cc
                            let o = sigmoid(clipped(pre[hidden + j] + rec[hidden + j] + po * c[j]))
                            h[j] = o * tanhf(c[j])
                        }
                    case "gru":
                        let z = (0..<hidden).map { sigmoid(clipped(pre[$0] + rec[$0])) }
                        let rr = (0..<hidden).map { sigmoid(clipped(pre[hidden + $0] + rec[hidden + $0])) }
                        var next = h
                        for j in 0..<hidden {
                            var candidate = pre[2 * hidden + j]
                            if linearBeforeReset {
                                candidate += rr[j] * rec[2 * hidden + j]
                            } else {
                                // (r ⊙ h) times the recurrent weights, plus their bias.
                                var q: Float = bias.map { $0.data[d * 2 * g + g + 2 * hidden + j] } ?? 0
                                for k in 0..<hidden { q += rr[k] * h[k] * r.data[rd + (2 * hidden + j) * hidden + k] }
                                candidate += q
                            }
                            next[j] = (1 - z[j]) * tanhf(clipped(candidate)) + z[j] * h[j]
                        }
                        h = next
                    default:
                        for j in 0..<hidden { h[j] = tanhf(clipped(pre[j] + rec[j])) }
                    }
                    for j in 0..<hidden { y[((step * dirs + d) * batch + b) * hidden + j] = h[j] }
                }
                for j in 0..<hidden {
                    yh[(d * batch + b) * hidden + j] = h[j]
                    yc[(d * batch + b) * hidden + j] = c[j]
                }
            }
        }
        var outs = [Tensor(shape: [steps, dirs, batch, hidden], data: y), Tensor(shape: [dirs, batch, hidden], data: yh),
                    Tensor(shape: [dirs, batch, hidden], data: yc)]
        if batchFirst { outs = [outs[0].permuted([2, 0, 1, 3]), outs[1].permuted([1, 0, 2]), outs[2].permuted([1, 0, 2])] }
        let count = max(op.argument("outputs")?.intValue ?? 1, 1)
        return Array(outs.prefix(kind == "lstm" ? count : min(count, 2)))
    }
}
