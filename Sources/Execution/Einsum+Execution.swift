import ModelKit
import Foundation
import Kernels

extension Executor {
    /// The einsum of the input with the kernel, for equations without elision or with "..."
    /// on the left whose every letter is either contracted (input and kernel), kept from the
    /// input (input and output) or a kernel output (kernel and output): the input is permuted
    /// to (kept, contracted), the kernel to (contracted, outputs), one `backend.dense`
    /// multiplies them, and the result is permuted to the output spec. The bias covers the
    /// output axes from its first bias axis to the end, broadcast over the axes not in
    /// `biasAxes`.
    func runEinsumDense(_ layer: Layer, _ k: EinsumOp, _ x: Tensor) throws -> Tensor {
        guard k.loraRank == nil else { throw fail(layer, "not runnable yet: LoRA") }
        let p = k.parsed
        let hasEllipsis = k.equation.contains("...")
        guard !hasEllipsis || p.leftElided else { throw fail(layer, "not runnable yet: equation \"\(k.equation)\" elides axes on the right") }
        let elided = hasEllipsis ? x.shape.count - p.input.count : 0
        guard elided >= 0, hasEllipsis || x.shape.count == p.input.count else {
            throw fail(layer, "equation \"\(k.equation)\" does not fit input shape \(x.shape)")
        }
        // Elided axes get letters of their own (digits cannot clash with the spec's letters).
        let ellipsis = (0..<elided).map { Character(String($0 % 10)) }
        guard elided <= 10 else { throw fail(layer, "not runnable yet: more than 10 elided axes") }
        let input = ellipsis + p.input
        let output = ellipsis + p.output
        let weight = p.weight
        let w = try params(layer, k.biasAxes == nil ? 1 : 2)
        let kernel = w[0]
        guard kernel.shape.count == weight.count else { throw fail(layer, "kernel \(kernel.shape) does not fit equation \"\(k.equation)\"") }
        var size: [Character: Int] = [:]
        for (c, d) in zip(input, x.shape) { size[c] = d }
        for (c, d) in zip(weight, kernel.shape) {
            if let s = size[c], s != d { throw fail(layer, "axis \"\(c)\" is \(s) in the input \(x.shape) but \(d) in the kernel \(kernel.shape)") }
            size[c] = d
        }
        let kept = input.filter { output.contains($0) && !weight.contains($0) }
        let contracted = input.filter { weight.contains($0) && !output.contains($0) }
        let produced = weight.filter { output.contains($0) && !input.contains($0) }
        guard kept.count + contracted.count == input.count, contracted.count + produced.count == weight.count,
              kept.count + produced.count == output.count, Set(input).count == input.count, Set(output).count == output.count else {
            throw fail(layer, "not runnable yet: equation \"\(k.equation)\" (only contractions of input with kernel axes run)")
        }
        let m = kept.reduce(1) { $0 * size[$1]! }, kk = contracted.reduce(1) { $0 * size[$1]! }
        let n = produced.reduce(1) { $0 * size[$1]! }
        let xp = TensorLayout.permute(x, (kept + contracted).map { input.firstIndex(of: $0)! })
        let wp = TensorLayout.permute(kernel, (contracted + produced).map { weight.firstIndex(of: $0)! })
        let y = backend.dense(Tensor(shape: [m, kk], data: xp.data), kernel: Tensor(shape: [kk, n], data: wp.data), bias: nil)
        let order = kept + produced
        var out = TensorLayout.permute(Tensor(shape: order.map { size[$0]! }, data: y.data), output.map { order.firstIndex(of: $0)! })
        if let biasAxes = k.biasAxes {
            let bias = w[1]
            let first = output.count - p.output.count + (p.output.firstIndex { biasAxes.contains($0) } ?? 0)
            let trailing = Array(output[first...])
            let biasDims = trailing.map { biasAxes.contains($0) ? size[$0]! : 1 }
            if !k.biasBroadcastsAsNumPy, biasDims.contains(1) {
                // The reader says the file's version does not add such a bias as NumPy
                // broadcasting would.
                throw fail(layer, "not runnable yet: bias_axes \"\(biasAxes)\" leave an output axis after the first bias axis (this version of \(formatName) adds such a bias differently from NumPy broadcasting)")
            }
            guard bias.count == biasDims.reduce(1, *) else { throw fail(layer, "bias \(bias.shape) does not fit axes \"\(biasAxes)\" of output \(out.shape)") }
            // Offset into the bias for every position of the trailing axes.
            var offsets = [0]
            var step = bias.count
            for (c, d) in zip(trailing, biasDims) {
                step /= d
                let s = size[c]!, st = step
                offsets = offsets.flatMap { o in (0..<s).map { o + (d == 1 ? 0 : $0 * st) } }
            }
            let inner = offsets.count
            out.data.withUnsafeMutableBufferPointer { op in
                bias.data.withUnsafeBufferPointer { bp in
                    for o in stride(from: 0, to: op.count, by: inner) { for j in 0..<inner { op[o + j] += bp[offsets[j]] } }
                }
            }
        }
        return try ActivationFunctions.apply(k.activation, out,
                                             context: "layer \"\(prefix)\(layer.name)\" (\(layer.className))")
    }
}
