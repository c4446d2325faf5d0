import Foundation
import Kernels
import ModelKit

// Einstein sums and transposed convolutions written as function nodes (a transposed
// convolution the reader could not turn into a layer: groups, an output shape, a computed
// weight).
extension Executor {
    /// `equation` (`bij,bjk->bik`; without `->` the output takes the labels used once, in
    /// alphabetical order) over `operands`, summing every label the output lacks.
    func einsum(_ layer: Layer, _ equation: String, _ operands: [Tensor]) throws -> Tensor {
        let eq = equation.replacingOccurrences(of: " ", with: "")
        guard !eq.contains(".") else { throw fail(layer, "not runnable yet: an einsum with an ellipsis (\(equation))") }
        let sides = eq.components(separatedBy: "->")
        let inputs = sides[0].split(separator: ",", omittingEmptySubsequences: false).map { Array($0) }
        guard inputs.count == operands.count, sides.count <= 2 else { throw fail(layer, "equation \(equation) does not fit \(operands.count) operands") }
        var output: [Character]
        if sides.count == 2 {
            output = Array(sides[1])
        } else {
            let all = inputs.flatMap { $0 }
            output = Set(all).filter { l in all.filter { $0 == l }.count == 1 }.sorted()
        }
        var size: [Character: Int] = [:]
        for (labels, t) in zip(inputs, operands) {
            guard labels.count == t.shape.count else { throw fail(layer, "operand \(t.shape) does not fit labels \(String(labels))") }
            for (l, d) in zip(labels, t.shape) {
                if let s = size[l], s != d, s != 1, d != 1 { throw fail(layer, "label \(l) has sizes \(s) and \(d)") }
                size[l] = max(size[l] ?? d, d)
            }
        }
        guard output.allSatisfy({ size[$0] != nil }) else { throw fail(layer, "output labels \(String(output)) are not all in the inputs") }
        let summed = Array(Set(inputs.flatMap { $0 }).subtracting(output)).sorted()
        let order = output + summed
        let dims = order.map { size[$0]! }
        let outShape = output.map { size[$0]! }
        let outCount = outShape.reduce(1, *), sumCount = summed.map { size[$0]! }.reduce(1, *)
        guard Self.fits(dims) else { throw fail(layer, "einsum over \(dims) is too large") }
        // Each operand's stride per label of `order` (0 where absent or broadcast).
        let strides: [[Int]] = zip(inputs, operands).map { labels, t in
            let st = NDArray.strides(t.shape)
            return order.map { l in
                var s = 0
                for (i, m) in labels.enumerated() where m == l && t.shape[i] != 1 { s += st[i] }
                return s
            }
        }
        var out = [Float](repeating: 0, count: outCount)
        var index = [Int](repeating: 0, count: order.count)
        for o in 0..<outCount {
            var rem = o
            for i in stride(from: output.count - 1, through: 0, by: -1) { index[i] = rem % dims[i]; rem /= dims[i] }
            var acc: Float = 0
            for s in 0..<sumCount {
                var r = s
                for i in stride(from: order.count - 1, through: output.count, by: -1) { index[i] = r % dims[i]; r /= dims[i] }
                var p: Float = 1
                for (k, t) in operands.enumerated() {
                    var off = 0
                    for i in 0..<order.count { off += index[i] * strides[k][i] }
                    p *= t.data[off]
                }
                acc += p
            }
            out[o] = acc
        }
        return Tensor(shape: outShape, data: out)
    }

    /// A channels-first transposed convolution (rank 1 to 3) with the format's attributes:
    /// `strides`, `dilations`, `pads`, `auto_pad`, `group`, `output_padding`, `output_shape`;
    /// the weight `(I, O/g, k...)`.
    func transposedConvolutionFunction(_ layer: Layer, _ op: TensorFunctionOp, _ x: Tensor, _ w: Tensor, _ b: Tensor?) throws -> Tensor {
        let rank = x.shape.count - 2
        guard rank >= 1, rank <= 3, w.shape.count == rank + 2, w.shape[0] == x.shape[1] else {
            throw fail(layer, "input \(x.shape) and weight \(w.shape) do not fit a transposed convolution")
        }
        let groups = op.argument("group")?.intValue ?? 1
        let kernel = Array(w.shape[2...])
        let strides = op.intList("strides") ?? Array(repeating: 1, count: rank)
        let dilation = op.intList("dilations") ?? Array(repeating: 1, count: rank)
        let extra = op.intList("output_padding") ?? Array(repeating: 0, count: rank)
        var pads = op.intList("pads") ?? Array(repeating: 0, count: 2 * rank)
        guard groups >= 1, x.shape[1] % groups == 0, strides.count == rank, dilation.count == rank, extra.count == rank, pads.count == 2 * rank else {
            throw fail(layer, "attributes do not fit rank \(rank) and \(groups) group(s)")
        }
        let auto = op.argument("auto_pad")?.stringValue ?? "NOTSET"
        let spatial = Array(x.shape[2...])
        var out: [Int] = []
        for i in 0..<rank {
            let full = strides[i] * (spatial[i] - 1) + extra[i] + (kernel[i] - 1) * dilation[i] + 1
            var target: Int? = nil
            if let shape = op.intList("output_shape") { target = shape.count == rank ? shape[i] : shape.last.map { _ in shape[shape.count - rank + i] } }
            else if auto.hasPrefix("SAME") { target = spatial[i] * strides[i] }
            if let target {
                let total = full - target
                let begin = auto == "SAME_LOWER" ? total - total / 2 : total / 2
                pads[i] = begin
                pads[i + rank] = total - begin
            } else if auto == "VALID" {
                pads[i] = 0; pads[i + rank] = 0
            }
            out.append(full - pads[i] - pads[i + rank])
        }
        guard out.allSatisfy({ $0 > 0 }) else { throw fail(layer, "output \(out) is empty") }
        let cin = x.shape[1] / groups, coutG = w.shape[1]
        let lead = [Int](repeating: 1, count: 3 - rank), zero = [Int](repeating: 0, count: 3 - rank)
        let win = Window3D(kernel: lead + kernel, strides: lead + strides, dilation: lead + dilation, padBefore: zero + Array(pads[..<rank]),
                           output: lead + out)
        var parts: [Tensor] = []
        let perm = Array(2..<(rank + 2)) + [1, 0]
        for g in 0..<groups {
            let xs = NDArray.strided(x, start: [0, g * cin] + [Int](repeating: 0, count: rank), step: [Int](repeating: 1, count: rank + 2),
                                     shape: [x.shape[0], cin] + spatial)
            let wg = Tensor(shape: [cin] + Array(w.shape[1...]), data: Array(w.data[(g * cin * w.count / w.shape[0])..<((g + 1) * cin * w.count / w.shape[0])]))
            let k = wg.permuted(perm)
            let v = SpatialTensors.volume(SpatialTensors.channelsToLast(xs))
            parts.append(backend.convTranspose3d(v, kernel: Tensor(shape: lead + k.shape, data: k.data), bias: nil, window: win))
        }
        var y = groups == 1 ? parts[0] : try concatenate(layer, parts, axis: 4)
        if let b {
            guard b.count == coutG * groups else { throw fail(layer, "bias of \(b.count) values for \(coutG * groups) channels") }
            let c = b.count
            for i in y.data.indices { y.data[i] += b.data[i % c] }
        }
        return SpatialTensors.channelsToFirst(SpatialTensors.unvolume(y, rank: rank))
    }
}
