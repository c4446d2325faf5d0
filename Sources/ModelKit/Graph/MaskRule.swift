/// How a layer treats the padding mask that may travel with a sequence (which time steps are
/// real and which are padding), as the format's own framework computes and propagates it.
/// The reader sets it per class; a format without masks leaves every layer `.drop`. The
/// engine carries a mask of shape `(batch, time)` beside each tensor that has one, and the
/// analysis notes which outputs do (`LayerRow.mask`).
public enum MaskRule: String, Sendable, Codable, Equatable {
    /// The output carries no mask (the layer does not support masking, or consumes it).
    case drop
    /// The output carries the first input's mask, unchanged.
    case pass
    /// The output's mask: the input ids that are not 0 (an embedding with a zero padding id).
    case nonZeroIds
    /// The output's mask: the steps where some feature differs from the layer's mask value
    /// (a masking layer; see `MaskingOp`).
    case maskValue
    /// Recurrent: steps whose mask is off keep the previous state; the output carries the
    /// mask when every step is returned.
    case sequence
    /// An element-wise merge: the output's mask is the OR of the inputs' masks, and none
    /// when an input has none.
    case mergeOr
    /// A concatenation along the last axis: an input without a mask counts as all steps
    /// kept, the output's mask is the OR.
    case concatenate
    /// A merge or last-axis concatenation whose output mask is the AND of the masks its
    /// inputs have (none when none has one): tf.keras (Keras 2) merges masks so.
    case mergeAnd
    /// A nested model: its inputs carry the masks given to it, its outputs the masks its own
    /// graph gives them.
    case nested

    /// The rule makes a mask of its own (from ids or values), not only passes one on.
    public var makesMask: Bool { self == .nonZeroIds || self == .maskValue }
}

extension Layer {
    /// For a `.sequence` layer: which of its outputs keep the input's mask. A recurrent layer
    /// keeps it on its output when it returns every step; a bidirectional one without a merge
    /// mode keeps it on both directions' outputs. States never carry it.
    public var sequenceKeepsMask: (first: Bool, second: Bool) {
        switch kind {
        case let k as RecurrentOp: return (k.options.returnSequences, false)
        case let k as StackedRecurrentOp: return (k.options.returnSequences, false)
        case let k as ConvLSTMOp: return (k.options.returnSequences, false)
        case let k as BidirectionalOp:
            let sequences = (k.forward.kind as? RecurrentOp)?.options.returnSequences ?? false
            return (sequences, sequences && k.mergeMode == nil)
        default: return (false, false)
        }
    }
}

extension ModelGraph {
    /// True when some layer makes a padding mask, here or in a nested model whose outputs
    /// carry masks on: only then do masks flow.
    public var makesMasks: Bool {
        layers.contains { $0.maskRule.makesMask || ($0.maskRule == .nested && ($0.nestedGraph?.makesMasks ?? false)) }
    }

    /// Which outputs carry a padding mask, per layer, call and output, by the layers' rules
    /// (the same propagation the engine runs, on booleans).
    public var maskedOutputs: [[[Bool]]] { maskedOutputs(inputMasks: []) }

    /// `maskedOutputs` when the graph's inputs come with masks (`inputMasks`, in input order):
    /// a nested model given masked tensors.
    public func maskedOutputs(inputMasks: [Bool]) -> [[[Bool]]] {
        var masked = layers.map { l in l.calls.map { _ in [Bool]() } }
        guard makesMasks || inputMasks.contains(true) else { return masked }
        for node in executionOrder {
            let layer = layers[node.layer]
            if let i = inputs.firstIndex(where: { $0.layer == node.layer && $0.call == node.call }), layer.kind is InputOp {
                masked[node.layer][node.call] = [i < inputMasks.count && inputMasks[i]]
                continue
            }
            let ins = layer.calls[node.call].map { ref -> Bool in
                let outs = masked[ref.layer][ref.call]
                return ref.tensor < outs.count ? outs[ref.tensor] : false
            }
            var first = false, second = false
            switch layer.maskRule {
            case .drop: break
            case .pass: first = ins.first ?? false
            case .nonZeroIds, .maskValue: first = true
            case .sequence:
                let keeps = layer.sequenceKeepsMask
                first = keeps.first && (ins.first ?? false)
                second = keeps.second && (ins.first ?? false)
            case .mergeOr: first = !ins.isEmpty && ins.allSatisfy { $0 }
            case .concatenate, .mergeAnd: first = ins.contains(true)
            case .nested:
                if let inner = layer.nestedGraph {
                    let innerMasked = inner.maskedOutputs(inputMasks: ins)
                    masked[node.layer][node.call] = inner.outputs.map { ref in
                        let outs = innerMasked[ref.layer][ref.call]
                        return ref.tensor < outs.count && outs[ref.tensor]
                    }
                    continue
                }
            }
            masked[node.layer][node.call] = [first, second]
        }
        return masked
    }
}
