import ModelKit
import Foundation
import Kernels

// Sequence, text and attention layers (recurrent layers and their wrappers, embeddings,
// attention, normalisation over the last axes). Called from `Executor.runLayer` for the
// operators its own switch does not run.
extension Executor {
    /// The outputs of `layer` on `args` when this file runs its class, otherwise nil.
    func runSequenceLayer(_ layer: Layer, _ args: [Tensor]) throws -> [Tensor]? {
        if !layer.callMasks.isEmpty, !(layer.kind is TensorFunctionOp) { try checkCallMasks(layer) }
        switch layer.kind {
        case let k as RecurrentOp:
            return try runDenseRecurrent(layer, cell: k.cell, options: k.options,
                                         weights: params(layer, k.cell.useBias ? 3 : 2), args: args)
        case let k as StackedRecurrentOp:
            return try runGenericRNN(layer, k, args)
        case let k as BidirectionalOp:
            return try runBidirectional(layer, k, args)
        case let k as TimeDistributedOp:
            return try runTimeDistributed(layer, k, args)
        case let k as ReverseEmbeddingOp:
            return [try runReverseEmbedding(layer, k, single(layer, args))]
        case let k as EmbeddingOp:
            return [try runEmbedding(layer, k, single(layer, args))]

        case let k as EinsumOp:
            return [try runEinsumDense(layer, k, single(layer, args))]
        case let k as MultiHeadAttentionOp:
            return try runMultiHeadAttention(layer, k, args)
        case let k as DotAttentionOp:
            return try runAttention(layer, args, additive: false, useScale: k.useScale, concat: k.scoreMode == "concat",
                                    returnScores: k.returnAttentionScores, causal: k.useCausalMask)
        case let k as AdditiveAttentionOp:
            return try runAttention(layer, args, additive: true, useScale: k.useScale, concat: false,
                                    returnScores: k.returnAttentionScores, causal: k.useCausalMask)

        case let k as LayerNormOp:
            return [try runLayerNormalization(layer, k, single(layer, args))]
        case let k as RMSNormOp:
            return [try runRMSNormalization(layer, k, single(layer, args))]
        case let k as GroupNormOp:
            return [try runGroupNormalization(layer, k, single(layer, args))]
        case let k as L2NormalizeOp:
            return [try runUnitNormalization(layer, k, single(layer, args))]

        case let k as DotOp:
            return [try runDot(layer, k, args)]
        case let k as RepeatOp:
            let x = try single(layer, args)
            guard x.shape.count == 2 else { throw fail(layer, "expects a (batch, features) input, found shape \(x.shape)") }
            let (b, f) = (x.shape[0], x.shape[1])
            var out = [Float](); out.reserveCapacity(b * k.n * f)
            for i in 0..<b { for _ in 0..<k.n { out.append(contentsOf: x.data[(i * f)..<((i + 1) * f)]) } }
            return [Tensor(shape: [b, k.n, f], data: out)]
        case let k as PermuteOp:
            let x = try single(layer, args)
            guard x.shape.count == k.dims.count + 1 else { throw fail(layer, "dims \(k.dims) do not fit input shape \(x.shape)") }
            return [TensorLayout.permute(x, [0] + k.dims)]

        case let k as VocabularyLookupOp:
            return [try runLookup(layer, k, single(layer, args))]
        case let k as HashingOp:
            return [try runHashing(layer, k, single(layer, args))]
        case let k as HashedCrossingOp:
            return [try runHashedCrossing(layer, k, args)]
        case let k as ConvolutionSpectrogramOp:
            return [try runConvolutionSpectrogram(layer, k, single(layer, args))]
        case let k as MelSpectrogramOp:
            return [try runMelSpectrogram(layer, k, single(layer, args))]
        case let k as AdaptiveEqualizationOp:
            return [try runAdaptiveEqualization(layer, k, single(layer, args))]
        case let k as TextVectorizationOp:
            return [try runTextVectorization(layer, k, single(layer, args))]
        case let k as ContrastStretchOp:
            return [try runContrastStretch(layer, k, single(layer, args))]
        case let k as SpectralNormalizationOp:
            // At inference the wrapped layer runs with its kernel as stored.
            return try runInner(layer, k.inner, args, weights: Array((weights[prefix + layer.name] ?? []).dropFirst()))
        case let k as UnsupportedOp where k.refusal != nil:
            throw fail(layer, k.refusal!)

        default:
            return nil
        }
    }

    /// Each image's channels stretched to fill the value range, as Keras's AutoContrast:
    /// values moved to 0...255, `(x - low) · 255 / (high - low)` per image and channel
    /// (low and high over height and width), clipped, moved back; a flat channel (whose
    /// stretch is not a number) keeps its values.
    func runContrastStretch(_ layer: Layer, _ k: ContrastStretchOp, _ x: Tensor) throws -> Tensor {
        guard x.shape.count == 4 else { throw fail(layer, "expects images (batch, height, width, channels), found shape \(x.shape)") }
        let (b, pixels, c) = (x.shape[0], x.shape[1] * x.shape[2], x.shape[3])
        let (lo, hi) = k.valueRange
        let toUnit = 255 / (hi - lo)
        var out = x.data
        for n in 0..<b {
            for ch in 0..<c {
                var low = Float.infinity, high = -Float.infinity
                for p in 0..<pixels {
                    let v = (x.data[(n * pixels + p) * c + ch] - lo) * toUnit
                    low = min(low, v); high = max(high, v)
                }
                let scale = 255 / (high - low), offset = -low * scale
                for p in 0..<pixels {
                    let i = (n * pixels + p) * c + ch
                    let v = min(max((x.data[i] - lo) * toUnit * scale + offset, 0), 255) / 255 * (hi - lo) + lo
                    out[i] = v.isNaN ? x.data[i] : v
                }
            }
        }
        return Tensor(shape: x.shape, data: out)
    }

    /// Runs a wrapped layer on `args` with `weights` as its own.
    func runInner(_ layer: Layer, _ inner: WrappedLayer, _ args: [Tensor], weights innerWeights: [Tensor]) throws -> [Tensor] {
        let innerPrefix = prefix + layer.name + "/"
        let wrapped = Layer(name: inner.name, className: inner.className, kind: inner.kind, path: layer.path + ".layer")
        let sub = Executor(graph: graph, weights: [innerPrefix + inner.name: innerWeights], backend: backend, prefix: innerPrefix)
        return try sub.runLayer(wrapped, args)
    }

    /// Refuses a call that was given a mask tensor, unless the mask is one the forward pass
    /// computes itself: an automatic padding mask (`mask`, `query_mask`, `value_mask`,
    /// `key_mask`) when masks flow through this model, or an embedding's padding mask
    /// (`not_equal(ids, 0)` on the input of an embedding with `maskZero`). An explicit
    /// `attention_mask` tensor is refused.
    func checkCallMasks(_ layer: Layer) throws {
        let automatic: Set<String> = ["mask", "query_mask", "value_mask", "key_mask"]
        for (argument, producer) in layer.callMasks {
            if makesMasks && automatic.contains(argument) { continue }
            // MultiHeadAttention reads an explicit attention mask by value (`Executor.run`).
            if argument == "attention_mask" && layer.kind is MultiHeadAttentionOp { continue }
            guard let pi = graph.layers.firstIndex(where: { $0.name == producer }),
                  let op = graph.layers[pi].kind as? TensorFunctionOp, op.function == "not_equal",
                  let source = graph.layers[pi].calls.first?.first,
                  graph.layers.contains(where: { l in
                      ((l.kind as? EmbeddingOp)?.maskZero ?? false) && l.calls.contains { $0.first == source }
                  }) else {
                throw fail(layer, "not runnable yet: the call was given a mask (\(argument) from layer \"\(producer)\"); masks are not applied by this forward pass")
            }
        }
    }

    // MARK: - Wrappers

    /// The cell and options of a wrapped dense recurrent layer, or an error naming it.
    private func recurrentParts(_ layer: Layer, _ w: WrappedLayer) throws -> (RecurrentCell, RecurrentOptions) {
        switch w.kind {
        case let k as RecurrentOp: return (k.cell, k.options)
        default: throw fail(layer, "not runnable yet: \(layer.kind.sourceClass) over \(w.className) \"\(w.name)\"")
        }
    }

    /// The backward layer reads the sequence from the end; when every step is returned its
    /// output is flipped back to forward time before the merge.
    /// With a padding mask both directions skip the masked steps; Keras forces
    /// `zero_output_for_mask` to `return_sequences` for the two wrapped layers.
    func runBidirectional(_ layer: Layer, _ k: BidirectionalOp, _ args: [Tensor], mask: Tensor? = nil) throws -> [Tensor] {
        guard let x = args.first else { throw fail(layer, "expects a sequence input, given none") }
        let (fCell, fOptions) = try recurrentParts(layer, k.forward)
        let (bCell, bOptions) = try recurrentParts(layer, k.backward)
        let nf = fCell.useBias ? 3 : 2, nb = bCell.useBias ? 3 : 2
        let w = try params(layer, nf + nb)
        let initial = Array(args.dropFirst())
        guard initial.isEmpty || initial.count == fCell.stateCount + bCell.stateCount else {
            throw fail(layer, "was given \(initial.count) initial state(s), expected \(fCell.stateCount + bCell.stateCount)")
        }
        let fInitial = initial.isEmpty ? [] : Array(initial[0..<fCell.stateCount])
        let bInitial = initial.isEmpty ? [] : Array(initial[fCell.stateCount...])
        let fOut = try runDenseRecurrent(layer, cell: fCell, options: fOptions, weights: Array(w[0..<nf]), args: [x] + fInitial,
                                         backwards: fOptions.goBackwards, mask: mask, zeroOutput: fOptions.returnSequences)
        let bOut = try runDenseRecurrent(layer, cell: bCell, options: bOptions, weights: Array(w[nf...]), args: [x] + bInitial,
                                         backwards: !fOptions.goBackwards, mask: mask, zeroOutput: bOptions.returnSequences)
        let yf = fOut[0]
        var yb = bOut[0]
        if fOptions.returnSequences { yb = TensorLayout.reverseTime(yb) }
        let outputs: [Tensor]
        switch k.mergeMode {
        case .concat?: outputs = [try concatenate(layer, [yf, yb], axis: -1)]
        case .sum?: outputs = [try merge(layer, [yf, yb]) { $0 + $1 }]
        case .mul?: outputs = [try merge(layer, [yf, yb]) { $0 * $1 }]
        case .ave?: outputs = [try merge(layer, [yf, yb]) { ($0 + $1) / 2 }]
        case nil: outputs = [yf, yb]
        }
        return k.returnState ? outputs + Array(fOut.dropFirst()) + Array(bOut.dropFirst()) : outputs
    }

    /// The inner layer runs once on the input with batch and time folded together,
    /// `(batch·time, ...)`.
    func runTimeDistributed(_ layer: Layer, _ k: TimeDistributedOp, _ args: [Tensor]) throws -> [Tensor] {
        let x = try single(layer, args)
        guard x.shape.count >= 3 else { throw fail(layer, "expects an input of rank 3 or more, found shape \(x.shape)") }
        let (b, t) = (x.shape[0], x.shape[1])
        let folded = Tensor(shape: [b * t] + x.shape.dropFirst(2), data: x.data)
        let outs = try runInner(layer, k.inner, [folded], weights: weights[prefix + layer.name] ?? [])
        guard outs.count == 1, let y = outs.first, y.shape.first == b * t else {
            throw fail(layer, "the inner \(k.inner.className) returned \(outs.map(\.shape)), expected one output of batch \(b * t)")
        }
        return [Tensor(shape: [b, t] + y.shape.dropFirst(), data: y.data)]
    }

    // MARK: - Embedding

    /// Row `id` of the table for every id. Ids arrive as floats; each must be a whole number
    /// in 0..<inputDim.
    func runEmbedding(_ layer: Layer, _ k: EmbeddingOp, _ x: Tensor) throws -> Tensor {
        guard k.loraRank == nil else { throw fail(layer, "not runnable yet: LoRA embeddings") }
        let table = try params(layer, k.separateReverseTable ? 2 : 1)[0]
        let (rows, d) = (k.inputDim, k.outputDim)
        guard table.shape == [rows, d] else { throw fail(layer, "embeddings \(table.shape) are not (\(rows), \(d))") }
        // With mask_zero, id 0 still looks up row 0; the padding mask it makes travels beside
        // the output (`Executor.outputMasks`).
        for (i, v) in x.data.enumerated() {
            guard v == v.rounded(), v >= 0, v < Float(rows) else {
                throw fail(layer, "input id \(v) at flat index \(i) is not a whole number in 0..<\(rows) (input_dim)")
            }
        }
        var out = [Float](repeating: 0, count: x.count * d)
        out.withUnsafeMutableBufferPointer { o in
            table.data.withUnsafeBufferPointer { t in
                x.data.withUnsafeBufferPointer { ids in
                    for i in 0..<ids.count {
                        let row = Int(ids[i]) * d
                        for j in 0..<d { o[i * d + j] = t[row + j] }
                    }
                }
            }
        }
        return Tensor(shape: x.shape + [d], data: out)
    }

    /// A reversible embedding's reverse call: `x · tableᵀ` (or `x · reverse_embeddings`),
    /// soft-capped as `cap · tanh(logits / cap)` when the layer says so.
    func runReverseEmbedding(_ layer: Layer, _ k: ReverseEmbeddingOp, _ x: Tensor) throws -> Tensor {
        let w = try params(layer, k.separateTable ? 2 : 1)
        let (v, d) = (k.inputDim, k.outputDim)
        guard x.shape.last == d else { throw fail(layer, "reverse call on \(x.shape): the last axis must be \(d)") }
        let kernel: Tensor
        if k.separateTable {
            guard w[1].shape == [d, v] else { throw fail(layer, "reverse_embeddings \(w[1].shape) are not (\(d), \(v))") }
            kernel = w[1]
        } else {
            guard w[0].shape == [v, d] else { throw fail(layer, "embeddings \(w[0].shape) are not (\(v), \(d))") }
            kernel = w[0].permuted([1, 0])
        }
        var y = backend.dense(Tensor(shape: [x.count / d, d], data: x.data), kernel: kernel, bias: nil)
        if let cap = k.softCap {
            for i in y.data.indices { y.data[i] = cap * tanhf(y.data[i] / cap) }
        }
        return Tensor(shape: Array(x.shape.dropLast()) + [v], data: y.data)
    }

    // MARK: - Dot

    /// A batched matmul over one axis of each input, after L2 normalisation along those axes
    /// when `normalize`.
    func runDot(_ layer: Layer, _ k: DotOp, _ args: [Tensor]) throws -> Tensor {
        guard args.count == 2 else { throw fail(layer, "expects two inputs, given \(args.count)") }
        var (x, y) = (args[0], args[1])
        let raw = k.sameAxisForBoth ? (k.axes[0], k.axes[0]) : (k.axes[0], k.axes[1])
        guard let a = TensorShape(x.shape.map { Optional($0) }).normalizedAxis(raw.0),
              let c = TensorShape(y.shape.map { Optional($0) }).normalizedAxis(raw.1), a > 0, c > 0,
              x.shape[0] == y.shape[0], x.shape[a] == y.shape[c] else {
            throw fail(layer, "axes \(k.axes) do not fit inputs \(x.shape) and \(y.shape)")
        }
        if k.normalize {
            x = try unitNormalize(layer, x, axes: [a])
            y = try unitNormalize(layer, y, axes: [c])
        }
        let batch = x.shape[0], depth = x.shape[a]
        let xr = (1..<x.shape.count).filter { $0 != a }, yr = (1..<y.shape.count).filter { $0 != c }
        let xp = TensorLayout.permute(x, [0] + xr + [a])          // (batch, m, depth)
        let yp = TensorLayout.permute(y, [0, c] + yr)             // (batch, depth, n)
        let m = xr.reduce(1) { $0 * x.shape[$1] }, n = yr.reduce(1) { $0 * y.shape[$1] }
        let out = TensorLayout.batchedMatmul(xp.data, yp.data, batch: batch, m: m, k: depth, n: n)
        var shape = [batch] + xr.map { x.shape[$0] } + yr.map { y.shape[$0] }
        if shape.count == 1 { shape.append(1) }
        return Tensor(shape: shape, data: out)
    }
}

extension TensorLayout {
    /// `x (batch, time, ...)` with the time axis reversed.
    static func reverseTime(_ x: Tensor) -> Tensor {
        let (b, t) = (x.shape[0], x.shape[1])
        let inner = x.count / max(b * t, 1)
        var out = x.data
        x.data.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                for i in 0..<b {
                    for s in 0..<t {
                        let src = (i * t + s) * inner, dst = (i * t + (t - 1 - s)) * inner
                        for j in 0..<inner { op[dst + j] = xp[src + j] }
                    }
                }
            }
        }
        return Tensor(shape: x.shape, data: out)
    }
}
