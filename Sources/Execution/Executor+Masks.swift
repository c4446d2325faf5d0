import Kernels
import ModelKit
import Tensors

// Padding masks (`MaskRule`): a `(batch, time)` tensor of 1 (a real step) and 0 (padding)
// travels beside each output that has one, made by the layers the reader marks as making one
// (an embedding with a zero padding id, a masking layer), passed on, merged or dropped by
// each layer's rule, and used by the layers that skip padding: recurrent layers and their
// bidirectional wrapper, average pooling over time and attention. Only a model with a layer
// that makes masks carries them; any other runs exactly as before.
extension Executor {
    /// True when some layer of this graph makes a padding mask.
    var makesMasks: Bool { graph.makesMasks }

    /// The outputs of a layer that uses the masks of its inputs, nil when this layer does
    /// not use them (its outputs do not depend on the masks) or none came.
    func runWithMasks(_ layer: Layer, _ args: [Tensor], _ masks: [Tensor?]) throws -> [Tensor]? {
        guard masks.contains(where: { $0 != nil }) else { return nil }
        switch layer.kind {
        case let k as RecurrentOp:
            return try runDenseRecurrent(layer, cell: k.cell, options: k.options, weights: params(layer, k.cell.useBias ? 3 : 2),
                                         args: args, mask: masks[0])
        case let k as StackedRecurrentOp:
            return try runGenericRNN(layer, k, args, mask: masks[0])
        case let k as BidirectionalOp:
            return try runBidirectional(layer, k, args, mask: masks[0])
        case let k as GlobalPoolingOp where k.kind == .average:
            guard let mask = masks[0] else { return nil }
            return [try maskedAverageOverTime(layer, try single(layer, args), mask, channelsFirst: k.reduction.layout.channelsFirst)]
        case let k as MultiHeadAttentionOp:
            return try runMultiHeadAttention(layer, k, args, masks: masks)
        case let k as DotAttentionOp:
            return try runAttention(layer, args, additive: false, useScale: k.useScale, concat: k.scoreMode == "concat",
                                    returnScores: k.returnAttentionScores, causal: k.useCausalMask, masks: masks)
        case let k as AdditiveAttentionOp:
            return try runAttention(layer, args, additive: true, useScale: k.useScale, concat: false,
                                    returnScores: k.returnAttentionScores, causal: k.useCausalMask, masks: masks)
        case is ConvLSTMOp:
            throw fail(layer, "not runnable yet: a padding mask reaches it, and this forward pass does not skip masked steps in \(layer.className)")
        case let k as TimeDistributedOp where k.inner.kind is RecurrentOp:
            throw fail(layer, "not runnable yet: a padding mask reaches it, and this forward pass does not skip masked steps in \(layer.className)")
        case let k as SoftmaxOp where layer.maskRule == .pass:
            guard let mask = masks[0] else { return nil }
            return [try maskedSoftmax(layer, k, try single(layer, args), mask)]
        default:
            return nil
        }
    }

    /// Keras's Softmax layer with a mask: the mask broadcast onto the input from the right
    /// (each of its axes 1 or the input's), masked inputs set to -1e9 before the softmax and
    /// masked outputs to 0 after it.
    func maskedSoftmax(_ layer: Layer, _ k: SoftmaxOp, _ x: Tensor, _ mask: Tensor) throws -> Tensor {
        guard k.axes.count == 1, let axis = TensorShape(x.shape).normalizedAxis(k.axes[0]) else {
            throw fail(layer, "not runnable yet: softmax over axes \(k.axes)")
        }
        let offset = x.shape.count - mask.shape.count
        guard offset >= 0, mask.shape.enumerated().allSatisfy({ $0.element == 1 || $0.element == x.shape[offset + $0.offset] }) else {
            throw fail(layer, "its mask \(mask.shape) does not broadcast to its input \(x.shape), as Keras requires")
        }
        // Mask strides over the input's axes (0 where the mask has size 1 or no axis).
        var steps = [Int](repeating: 0, count: x.shape.count)
        var span = 1
        for a in stride(from: mask.shape.count - 1, through: 0, by: -1) {
            if mask.shape[a] != 1 { steps[offset + a] = span }
            span *= mask.shape[a]
        }
        var keep = [Bool](repeating: true, count: x.count)
        var index = [Int](repeating: 0, count: x.shape.count)
        for i in 0..<x.count {
            var m = 0
            for a in 0..<index.count { m += index[a] * steps[a] }
            keep[i] = mask.data[m] > 0.5
            var a = index.count - 1
            while a >= 0 { index[a] += 1; if index[a] < x.shape[a] { break }; index[a] = 0; a -= 1 }
        }
        var input = x
        for i in 0..<x.count where !keep[i] { input.data[i] = -1e9 }
        var y = ActivationFunctions.softmax(input, axis: axis)
        for i in 0..<x.count where !keep[i] { y.data[i] = 0 }
        return y
    }

    /// Keras's GlobalAveragePooling1D with a mask: the mean over the kept steps only.
    func maskedAverageOverTime(_ layer: Layer, _ x: Tensor, _ mask: Tensor, channelsFirst: Bool) throws -> Tensor {
        guard x.shape.count == 3, !channelsFirst else { throw fail(layer, "not runnable yet: a padding mask with input \(x.shape)\(channelsFirst ? " (channels first)" : "")") }
        let (b, t, f) = (x.shape[0], x.shape[1], x.shape[2])
        guard mask.shape == [b, t] else { throw fail(layer, "its mask has shape \(mask.shape), expected \([b, t])") }
        var out = [Float](repeating: 0, count: b * f)
        for i in 0..<b {
            var kept: Float = 0
            for s in 0..<t where mask.data[i * t + s] != 0 {
                kept += 1
                for j in 0..<f { out[i * f + j] += x.data[(i * t + s) * f + j] }
            }
            // All steps masked: 0 / 0, as Keras divides.
            for j in 0..<f { out[i * f + j] /= kept }
        }
        return Tensor(shape: [b, f], data: out)
    }

    /// The masks of a layer's outputs by its rule, from its inputs and their masks.
    func outputMasks(_ layer: Layer, _ args: [Tensor], _ masks: [Tensor?], outputs: [Tensor]) throws -> [Tensor?] {
        var out = [Tensor?](repeating: nil, count: outputs.count)
        guard !outputs.isEmpty else { return out }
        switch layer.maskRule {
        case .drop, .nested:
            break
        case .pass:
            out[0] = masks.first ?? nil
        case .nonZeroIds:
            guard let ids = args.first else { break }
            out[0] = Tensor(shape: ids.shape, data: ids.data.map { $0 != 0 ? 1 : 0 })
        case .maskValue:
            guard let x = args.first, let k = layer.kind as? MaskingOp, x.shape.count >= 2 else { break }
            out[0] = Tensor(shape: Array(x.shape.dropLast()), data: Self.keptSteps(x, maskValue: k.maskValue).map { $0 ? 1 : 0 })
        case .sequence:
            let keeps = layer.sequenceKeepsMask
            if keeps.first { out[0] = masks.first ?? nil }
            if keeps.second && outputs.count >= 2 { out[1] = masks.first ?? nil }
        case .mergeOr:
            guard !masks.isEmpty, masks.allSatisfy({ $0 != nil }) else { break }
            let all = masks.map { $0! }
            guard all.allSatisfy({ $0.shape == all[0].shape }) else { throw fail(layer, "its inputs' masks differ in shape: \(all.map(\.shape))") }
            out[0] = Tensor(shape: all[0].shape, data: (0..<all[0].count).map { i in all.contains { $0.data[i] != 0 } ? 1 : 0 })
        case .mergeAnd:
            let present = masks.compactMap { $0 }
            guard let shape = present.first?.shape else { break }
            if layer.kind is ConcatOp { try requireLastAxisConcatenation(layer, args) }
            out[0] = Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { i in present.allSatisfy { $0.data[i] != 0 } ? 1 : 0 })
        case .concatenate:
            guard let shape = masks.compactMap({ $0 }).first?.shape else { break }
            try requireLastAxisConcatenation(layer, args)
            // An input without a mask counts as all steps kept.
            out[0] = Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { i in masks.contains { m in m == nil || m!.data[i] != 0 } ? 1 : 0 })
        }
        return out
    }

    /// Masks follow a concatenation only along the last axis (the features).
    func requireLastAxisConcatenation(_ layer: Layer, _ args: [Tensor]) throws {
        guard let k = layer.kind as? ConcatOp, k.axis == -1 || k.axis == (args.first?.shape.count ?? 0) - 1 else {
            throw fail(layer, "not runnable yet: a padding mask reaches a concatenation along an axis other than the last")
        }
    }

    /// A masking layer's kept steps: rows (over the last axis) with some value other than
    /// `maskValue`. Its output zeroes the other rows; its mask is these.
    static func keptSteps(_ x: Tensor, maskValue: Float) -> [Bool] {
        guard let f = x.shape.last, f > 0 else { return [] }
        return (0..<(x.count / f)).map { r in (0..<f).contains { x.data[r * f + $0] != maskValue } }
    }
}
