import ModelKit

/// Which Keras classes make, pass, use or drop a padding mask (keras/src/layers: a class
/// supports masking when it sets `supports_masking = True` or overrides `compute_mask`;
/// `Layer.compute_mask` then passes the first input's mask on; any other class drops it).
enum KerasMasks {
    /// Classes whose output carries the first input's mask unchanged (Keras 3.15:
    /// `supports_masking = True` without a `compute_mask` of their own).
    static let passing: Set<String> = [
        "Dense", "Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax", "Identity", "Lambda",
        "Dropout", "AlphaDropout", "GaussianDropout", "GaussianNoise", "ActivityRegularization",
        "LayerNormalization", "BatchNormalization", "GroupNormalization", "UnitNormalization",
        "Rescaling", "Normalization", "MultiHeadAttention", "GroupedQueryAttention", "GroupQueryAttention",
    ]

    /// Recurrent classes: `RNN.compute_mask` keeps the mask when every step is returned.
    static let recurrent: Set<String> = ["LSTM", "GRU", "SimpleRNN", "RNN", "Bidirectional", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"]

    /// `Merge.compute_mask`: the OR of the inputs' masks.
    static let merging: Set<String> = ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"]

    /// `isKeras2`: tf.keras merges masks (Add, Concatenate, ...) with AND of those present,
    /// Keras 3 with OR.
    static func rule(className: String, kind: any Operator, isKeras2: Bool = false) -> MaskRule {
        switch kind {
        case let e as EmbeddingOp: return e.maskZero ? .nonZeroIds : .drop
        case is MaskingOp: return .maskValue
        case let t as TimeDistributedOp: return passing.contains(t.inner.className) ? .pass : .drop
        // Functional.call sets the given masks on its inputs; compute_mask gives its outputs'.
        case is SubgraphOp: return .nested
        default: break
        }
        if passing.contains(className) { return .pass }
        if recurrent.contains(className) { return .sequence }
        if merging.contains(className) { return isKeras2 ? .mergeAnd : .mergeOr }
        if className == "Concatenate" { return isKeras2 ? .mergeAnd : .concatenate }
        // Attention and AdditiveAttention give the query's mask (`compute_mask` returns mask[0]).
        if className == "Attention" || className == "AdditiveAttention" { return .pass }
        return .drop
    }
}
