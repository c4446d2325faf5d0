import ModelKit
import Foundation
import Kernels

/// Multi-head, dot-product and additive attention at inference (no dropout), with the
/// padding masks of query, value and key as Keras applies them.
extension Executor {
    /// Einsum projections of query, key and value into `(…, heads, dim)`; scores
    /// `einsum(key, query / sqrt(keyDim))` laid out `(batch, non-attention axes…, heads,
    /// query attention axes…, key attention axes…)`, softmax jointly over the key attention
    /// axes; weighted values (times the sigmoid gate with `useGate`); output projection.
    /// Returns the output, then the scores with `returnAttentionScores`.
    ///
    /// `masks` are the padding masks of query, value and key (`(batch, time)`): as Keras's
    /// `_compute_attention_mask`, query i may attend to key j when the query mask keeps i,
    /// the value (and a separate key's) mask keeps j, and with `use_causal_mask` j ≤ i; a
    /// masked score becomes -1e9 before the softmax and its weight 0 after it (a query with
    /// nothing to attend to gets all-zero weights).
    /// `attentionMask` is an explicit `attention_mask` (`(batch, T, S)`, nonzero: may attend),
    /// combined with the others by AND.
    func runMultiHeadAttention(_ layer: Layer, _ k: MultiHeadAttentionOp, _ args: [Tensor], masks: [Tensor?] = [],
                               attentionMask: Tensor? = nil) throws -> [Tensor] {
        guard args.count == 2 || args.count == 3 else {
            throw fail(layer, "not runnable yet: called on \(args.count) tensors (query, value[, key]); attention masks are not supported")
        }
        let query = args[0], value = args[1], key = args.count > 2 ? args[2] : value
        let rank = query.shape.count
        guard rank >= 3, key.shape.count == rank, value.shape.count == rank,
              Array(key.shape.dropLast()) == Array(value.shape.dropLast()), query.shape[0] == key.shape[0] else {
            throw fail(layer, "query \(query.shape), value \(value.shape) and key \(key.shape) do not fit together")
        }
        let axes: [Int]
        if let given = k.attentionAxes {
            axes = given.map { $0 >= 0 ? $0 : rank + $0 }.sorted()
            guard axes.allSatisfy({ $0 >= 1 && $0 <= rank - 2 }) else { throw fail(layer, "attention_axes \(given) do not fit rank \(rank)") }
        } else {
            axes = Array(1...(rank - 2))
        }
        let nonAxes = (1...(rank - 2)).filter { !axes.contains($0) }
        guard nonAxes.allSatisfy({ query.shape[$0] == key.shape[$0] }) else {
            throw fail(layer, "query \(query.shape) and key \(key.shape) differ on a non-attention axis (attention axes \(axes))")
        }
        let causal = k.useCausalMask
        if causal && (rank != 3 || k.attentionAxes.map({ $0.map { $0 >= 0 ? $0 : rank + $0 } != [1] }) == true) {
            throw fail(layer, "not runnable yet: use_causal_mask with attention over several axes")
        }
        let queryMask = masks.count > 0 ? masks[0] : nil, valueMask = masks.count > 1 ? masks[1] : nil
        // A key's own mask counts only when the key is a tensor other than the value.
        let keyMask = masks.count > 2 && layer.calls.first.map { $0.count > 2 && $0[2] != $0[1] } == true ? masks[2] : nil
        let padded = queryMask != nil || valueMask != nil || keyMask != nil || attentionMask != nil || k.slidingWindow != nil
        if padded && (rank != 3 || k.attentionAxes.map({ $0.map { $0 >= 0 ? $0 : rank + $0 } != [1] }) == true) {
            throw fail(layer, "not runnable yet: padding masks or a sliding window with attention over several axes")
        }
        if let m = attentionMask, m.shape.count != 3 || m.shape[0] != query.shape[0] || m.shape[1] != query.shape[1] || m.shape[2] != key.shape[1] {
            throw fail(layer, "not runnable yet: attention_mask of shape \(m.shape); (batch, \(query.shape[1]), \(key.shape[1])) runs")
        }
        let window = k.slidingWindow
        func kept(_ b: Int, _ i: Int, _ j: Int) -> Bool {
            if causal && j > i { return false }
            if let window, abs(i - j) >= window { return false }
            if let m = queryMask, m.data[b * m.shape[1] + i] == 0 { return false }
            if let m = valueMask, m.data[b * m.shape[1] + j] == 0 { return false }
            if let m = keyMask, m.data[b * m.shape[1] + j] == 0 { return false }
            if let m = attentionMask, m.data[(b * m.shape[1] + i) * m.shape[2] + j] == 0 { return false }
            return true
        }
        let heads = k.numHeads, kd = k.keyDim, vd = k.valueDim, kvHeads = k.kvHeads
        guard kvHeads > 0, heads % kvHeads == 0 else { throw fail(layer, "\(heads) query heads cannot share \(kvHeads) key/value heads") }
        // Query head h reads key/value head h / group (grouped-query attention; group 1 otherwise).
        let group = heads / kvHeads
        let per = k.useBias ? 2 : 1
        let w = try params(layer, per * (k.useGate ? 5 : 4))
        var wi = 0
        func project(_ x: Tensor, _ width: Int, _ what: String, heads: Int) throws -> Tensor {
            let kernel = w[wi], bias = k.useBias ? w[wi + 1] : nil
            wi += per
            let d = x.shape[rank - 1]
            guard kernel.count == d * heads * width, kernel.shape.first == d else {
                throw fail(layer, "\(what) kernel \(kernel.shape) does not fit input \(x.shape) with \(heads) heads of \(width)")
            }
            return backend.dense(x, kernel: Tensor(shape: [d, heads * width], data: kernel.data),
                                 bias: bias.map { Tensor(shape: [heads * width], data: $0.data) })
        }
        let q = try project(query, kd, "query", heads: heads)
        let kp = try project(key, kd, "key", heads: kvHeads)
        let gate = k.useGate ? try project(query, vd, "gate", heads: heads) : nil
        let v = try project(value, vd, "value", heads: kvHeads)
        let outKernel = w[wi], outBias = k.useBias ? w[wi + 1] : nil
        let outDims = k.outputShape ?? [query.shape[rank - 1]]
        let outWidth = outDims.reduce(1, *)
        guard outKernel.count == heads * vd * outWidth else {
            throw fail(layer, "attention_output kernel \(outKernel.shape) does not fit \(heads) heads of \(vd) to \(outDims)")
        }

        // Offsets (in positions) of the attention and non-attention index combinations.
        func offsets(_ shape: [Int], _ chosen: [Int]) -> [Int] {
            var steps = [Int](repeating: 1, count: rank)
            for i in stride(from: rank - 3, through: 1, by: -1) { steps[i] = steps[i + 1] * shape[i + 1] }
            var out = [0]
            for a in chosen {
                var next: [Int] = []
                next.reserveCapacity(out.count * shape[a])
                for o in out { for i in 0..<shape[a] { next.append(o + i * steps[a]) } }
                out = next
            }
            return out
        }
        let batch = query.shape[0]
        let qPositions = query.shape[1..<(rank - 1)].reduce(1, *), kPositions = key.shape[1..<(rank - 1)].reduce(1, *)
        let qAttn = offsets(query.shape, axes), kAttn = offsets(key.shape, axes)
        let qNon = offsets(query.shape, nonAxes), kNon = offsets(key.shape, nonAxes)
        let lq = qAttn.count, lk = kAttn.count
        let scale = 1 / Float(kd).squareRoot()
        var scores = [Float](repeating: 0, count: batch * qNon.count * heads * lq * lk)
        var attended = [Float](repeating: 0, count: batch * qPositions * heads * vd)
        var qm = [Float](repeating: 0, count: lq * kd), km = [Float](repeating: 0, count: kd * lk)
        var vm = [Float](repeating: 0, count: lk * vd)
        for b in 0..<batch {
            for (n, (qn, kn)) in zip(qNon, kNon).enumerated() {
                for h in 0..<heads {
                    q.data.withUnsafeBufferPointer { qs in
                        for (i, qa) in qAttn.enumerated() {
                            let src = ((b * qPositions + qn + qa) * heads + h) * kd
                            for c in 0..<kd { qm[i * kd + c] = qs[src + c] * scale }
                        }
                    }
                    kp.data.withUnsafeBufferPointer { ks in
                        v.data.withUnsafeBufferPointer { vs in
                            for (j, ka) in kAttn.enumerated() {
                                let pos = b * kPositions + kn + ka, kh = h / group
                                for c in 0..<kd { km[c * lk + j] = ks[(pos * kvHeads + kh) * kd + c] }
                                for c in 0..<vd { vm[j * vd + c] = vs[(pos * kvHeads + kh) * vd + c] }
                            }
                        }
                    }
                    var s = backend.dense(Tensor(shape: [lq, kd], data: qm), kernel: Tensor(shape: [kd, lk], data: km), bias: nil)
                    if causal || padded {
                        // Keras's masked softmax: -1e9 where masked, softmax, then 0 where masked.
                        for i in 0..<lq { for j in 0..<lk where !kept(b, i, j) { s.data[i * lk + j] = -1e9 } }
                        s = ActivationFunctions.softmax(s, axis: 1)
                        for i in 0..<lq { for j in 0..<lk where !kept(b, i, j) { s.data[i * lk + j] = 0 } }
                    } else {
                        s = ActivationFunctions.softmax(s, axis: 1)
                    }
                    let base = ((b * qNon.count + n) * heads + h) * lq * lk
                    scores.withUnsafeMutableBufferPointer { sp in
                        for i in 0..<(lq * lk) { sp[base + i] = s.data[i] }
                    }
                    let o = backend.dense(s, kernel: Tensor(shape: [lk, vd], data: vm), bias: nil)
                    attended.withUnsafeMutableBufferPointer { ap in
                        for (i, qa) in qAttn.enumerated() {
                            let dst = ((b * qPositions + qn + qa) * heads + h) * vd
                            for c in 0..<vd { ap[dst + c] = o.data[i * vd + c] }
                        }
                    }
                }
            }
        }
        if let gate {
            attended.withUnsafeMutableBufferPointer { ap in
                for i in 0..<ap.count { ap[i] *= ActivationFunctions.sigmoid(gate.data[i]) }
            }
        }
        let lead = Array(query.shape.dropLast())
        let y = backend.dense(Tensor(shape: lead + [heads * vd], data: attended),
                              kernel: Tensor(shape: [heads * vd, outWidth], data: outKernel.data),
                              bias: outBias.map { Tensor(shape: [outWidth], data: $0.data) })
        let output = Tensor(shape: lead + outDims, data: y.data)
        guard k.returnAttentionScores else { return [output] }
        let scoreShape = [batch] + nonAxes.map { query.shape[$0] } + [heads] + axes.map { query.shape[$0] } + axes.map { key.shape[$0] }
        return [output, Tensor(shape: scoreShape, data: scores)]
    }

    /// Dot-product or additive attention on
    /// `[query (batch, Tq, dim), value (batch, Tv, dv)[, key (batch, Tv, dim)]]`:
    /// scores (dot: `q·k [· scale]`; concat: `concat_score_weight · Σ tanh([scale ·](q + k))`;
    /// additive: `Σ [scale ∘] tanh(q + k)`), softmax over Tv, weighted sum of the values.
    /// Returns the output, then the softmaxed scores with `returnScores`.
    ///
    /// With padding masks (`[query, value]`, as Keras's `Attention.call`): a score whose value
    /// step is masked (or, causal, j > i) is lowered by 1e9 before the softmax; a masked
    /// query step's output is zeros.
    func runAttention(_ layer: Layer, _ args: [Tensor], additive: Bool, useScale: Bool, concat: Bool,
                      returnScores: Bool, causal: Bool, masks: [Tensor?] = []) throws -> [Tensor] {
        guard args.count == 2 || args.count == 3 else {
            throw fail(layer, "not runnable yet: called on \(args.count) tensors (query, value[, key]); masks are not supported")
        }
        let query = args[0], value = args[1], key = args.count > 2 ? args[2] : value
        guard query.shape.count == 3, value.shape.count == 3, key.shape.count == 3,
              query.shape[0] == key.shape[0], key.shape[0] == value.shape[0], key.shape[1] == value.shape[1],
              query.shape[2] == key.shape[2] else {
            throw fail(layer, "not runnable: query \(query.shape), value \(value.shape), key \(key.shape) (rank-3 operands with matching sizes only)")
        }
        let (batch, tq, dim) = (query.shape[0], query.shape[1], query.shape[2])
        let (tv, dv) = (value.shape[1], value.shape[2])
        let queryMask = masks.count > 0 ? masks[0] : nil, valueMask = masks.count > 1 ? masks[1] : nil
        let w = try params(layer, (useScale ? 1 : 0) + (concat ? 1 : 0))
        let scale: [Float]? = useScale ? w[0].data : nil
        let concatWeight: Float = concat ? w[useScale ? 1 : 0].data.first ?? 1 : 1
        if additive, let scale, scale.count != dim { throw fail(layer, "scale of size \(scale.count) does not fit query width \(dim)") }
        var scores = [Float](repeating: 0, count: batch * tq * tv)
        query.data.withUnsafeBufferPointer { qs in
            key.data.withUnsafeBufferPointer { ks in
                for b in 0..<batch {
                    for i in 0..<tq {
                        let qo = (b * tq + i) * dim
                        for j in 0..<tv {
                            let ko = (b * tv + j) * dim
                            var s: Float = 0
                            if additive {
                                for c in 0..<dim { s += (scale?[c] ?? 1) * tanhf(qs[qo + c] + ks[ko + c]) }
                            } else if concat {
                                let sc = scale?[0] ?? 1
                                for c in 0..<dim { s += tanhf(sc * (qs[qo + c] + ks[ko + c])) }
                                s *= concatWeight
                            } else {
                                for c in 0..<dim { s += qs[qo + c] * ks[ko + c] }
                                if let scale { s *= scale[0] }
                            }
                            // Causal mask (query i sees keys j <= i) and the value's padding mask.
                            let dropped = (causal && j > i) || (valueMask.map { $0.data[b * tv + j] == 0 } ?? false)
                            scores[(b * tq + i) * tv + j] = dropped ? s - 1e9 : s
                        }
                    }
                }
            }
        }
        let weightsT = ActivationFunctions.softmax(Tensor(shape: [batch, tq, tv], data: scores), axis: 2)
        var out = TensorLayout.batchedMatmul(weightsT.data, value.data, batch: batch, m: tq, k: tv, n: dv)
        if let queryMask {
            for b in 0..<batch { for i in 0..<tq where queryMask.data[b * tq + i] == 0 { for c in 0..<dv { out[(b * tq + i) * dv + c] = 0 } } }
        }
        let output = Tensor(shape: [batch, tq, dv], data: out)
        return returnScores ? [output, weightsT] : [output]
    }
}
