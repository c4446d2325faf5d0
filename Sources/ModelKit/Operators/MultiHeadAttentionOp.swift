/// Multi-head attention: projects query, key and value into `num_heads` heads, lets every
/// query position attend to the key positions, and projects the heads back.
///
/// Called with `query (batch, Tq, ..., dq)`, `value (batch, Tv, ..., dv)` and optionally
/// `key (batch, Tv, ..., dk)` (default: the value). Output: the query shape with the last axis
/// replaced by `output_shape` (default: `dq`). With `return_attention_scores` a second output
/// holds the scores; Keras 3 reports it as `(batch, num_heads, Tq, Tq)` (its
/// `compute_output_spec` reuses the query length), tf.keras as the real
/// `(batch, num_heads, Tq, Tv)`. That flag is a call argument, not config: the model reader
/// passes it in as the config key `return_attention_scores`.
///
/// Weights, each from an EinsumDense sublayer, in Keras's order: `query/kernel (dq, H, key_dim)`,
/// `query/bias (H, key_dim)`, `key/kernel (dk, H, key_dim)`, `key/bias`, [`gate/kernel
/// (dq, H, value_dim)`, `gate/bias` with `use_gate`], `value/kernel (dv, H, value_dim)`,
/// `value/bias (H, value_dim)`, `attention_output/kernel (H, value_dim, *out)`,
/// `attention_output/bias (*out)`. No biases when `use_bias` is false.
/// MACs: the four (five with the gate) projections, plus the score product
/// (H·Tq·Tv·key_dim) and the weighted sum of values (H·Tq·Tv·value_dim).
/// Upstream: keras/src/layers/attention/multi_head_attention.py.
public struct MultiHeadAttentionOp: Operator {
    /// Each query position attends only to keys at or before it.
    public var useCausalMask: Bool = false
    /// Attention limited to a window of nearby positions (not run by the engine).
    public var hasSlidingWindow: Bool = false
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .kernel }


    /// `num_heads`.
    public let numHeads: Int
    /// `key_dim`: size of each head for query and key.
    public let keyDim: Int
    /// `value_dim` (default `key_dim`): size of each head for value.
    public let valueDim: Int
    /// `use_bias`.
    public let useBias: Bool
    /// `use_gate` (Keras 3): a sigmoid gate projection of the query.
    public let useGate: Bool
    /// Trailing output dims; nil means the query's last dim.
    public let outputShape: [Int]?
    /// Attention axes as saved (may be negative); nil means every axis between batch and features.
    public let attentionAxes: [Int]?
    /// Call argument `return_attention_scores` (read from the config key the reader injects): adds the scores output.
    public var returnAttentionScores: Bool
    /// Whether the scores output keeps the attention axes of query and key (`(batch, ...,
    /// heads, *query axes, *key axes)`, the older API) rather than `(batch, heads, q, q)`.
    public var scoresKeepAttentionAxes: Bool


    struct Operands {
        var query: TensorShape
        var value: TensorShape
        var key: TensorShape
        /// Attention axes of the query/key, normalized to 1...rank-2.
        var axes: [Int]
    }

    func operands(_ inputs: [TensorShape]) throws -> Operands {
        let ops = try AttentionOperands(inputs, sourceClass, callForm: "needs query and value inputs", minimumRank: 3,
                                        rankHint: " (batch, positions..., features)")
        let query = ops.query, value = ops.value, key = ops.key
        guard Array(value.dims.dropFirst().dropLast()) == Array(key.dims.dropFirst().dropLast()) else {
            throw LayerError("all dimensions of value and key except the last must be equal, found value \(value) and key \(key)")
        }
        // keras: _build_attention(rank) with rank = value rank + 1; negative axes count from the
        // input rank.
        let rank = value.rank
        let axes: [Int]
        if let given = attentionAxes {
            axes = given.map { $0 >= 0 ? $0 : rank + $0 }
            if let bad = axes.first(where: { $0 < 1 || $0 > rank - 2 }) {
                throw LayerError("attention_axes \(given) must name axes between the batch and feature axes of a rank-\(rank) input (found \(bad))")
            }
        } else {
            axes = Array(1..<(rank - 1))
        }
        if query.rank != key.rank {
            throw LayerError("query \(query) and key \(key) must have the same rank")
        }
        return Operands(query: query, value: value, key: key, axes: axes)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let ops = try operands(inputs)
        var out = Array(ops.query.dims.dropLast())
        if let outputShape { out += outputShape.map { Optional($0) } } else { out.append(ops.query.dims.last ?? nil) }
        guard returnAttentionScores else { return [TensorShape(out)] }
        let scores: TensorShape
        if scoresKeepAttentionAxes {
            let q = ops.query, k = ops.key
            let nonAttention = (1..<(q.rank - 1)).filter { !ops.axes.contains($0) }
            scores = TensorShape([q[0]] + nonAttention.map { q[$0] } + [numHeads] + ops.axes.map { q[$0] } + ops.axes.map { k[$0] })
        } else {
            scores = TensorShape([ops.query[0], numHeads, ops.query[1], ops.query[1]])
        }
        return [TensorShape(out), scores]
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        let ops = try operands(inputs)
        func features(_ s: TensorShape, _ what: String) throws -> Int { try AttentionOperands.featureSize(s, what, sourceClass) }
        let dq = try features(ops.query, "query")
        let dk = try features(ops.key, "key")
        let dv = try features(ops.value, "value")
        let out = try outputShape ?? [features(ops.query, "query")]
        func projection(_ name: String, _ kernel: [Int], _ bias: [Int]) -> [WeightSpec] {
            [WeightSpec("\(name)/kernel", kernel)] + (useBias ? [WeightSpec("\(name)/bias", bias)] : [])
        }
        var w = projection("query", [dq, numHeads, keyDim], [numHeads, keyDim])
        w += projection("key", [dk, numHeads, keyDim], [numHeads, keyDim])
        if useGate { w += projection("gate", [dq, numHeads, valueDim], [numHeads, valueDim]) }
        w += projection("value", [dv, numHeads, valueDim], [numHeads, valueDim])
        w += projection("attention_output", [numHeads, valueDim] + out, out)
        return w
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        guard let ops = try? operands(inputs),
              let dq = ops.query.dims.last ?? nil, let dk = ops.key.dims.last ?? nil, let dv = ops.value.dims.last ?? nil,
              let nq = Shapes.product(Array(ops.query.dims.dropFirst().dropLast())),
              let nk = Shapes.product(Array(ops.key.dims.dropFirst().dropLast())),
              let nv = Shapes.product(Array(ops.value.dims.dropFirst().dropLast())),
              let keyAttention = Shapes.product(ops.axes.map { ops.key[$0] }),
              let outWidth = checkedProduct(outputShape ?? [dq]) else { return nil }
        // Each query position meets every key position sharing its non-attention coordinates.
        let pairs = checkedProduct([nq, keyAttention])
        let terms: [Int?] = [
            checkedProduct([nq, dq, numHeads, keyDim]),
            checkedProduct([nk, dk, numHeads, keyDim]),
            useGate ? checkedProduct([nq, dq, numHeads, valueDim]) : 0,
            checkedProduct([nv, dv, numHeads, valueDim]),
            pairs.flatMap { checkedProduct([$0, numHeads, keyDim]) },
            pairs.flatMap { checkedProduct([$0, numHeads, valueDim]) },
            checkedProduct([nq, numHeads, valueDim, outWidth]),
        ]
        return checkedSum(terms)
    }

    /// Every property, as a reader sets them.
    public init(numHeads: Int, keyDim: Int, valueDim: Int, useBias: Bool, useGate: Bool, outputShape: [Int]?, attentionAxes: [Int]?, returnAttentionScores: Bool, scoresKeepAttentionAxes: Bool) {
        self.numHeads = numHeads
        self.keyDim = keyDim
        self.valueDim = valueDim
        self.useBias = useBias
        self.useGate = useGate
        self.outputShape = outputShape
        self.attentionAxes = attentionAxes
        self.returnAttentionScores = returnAttentionScores
        self.scoresKeepAttentionAxes = scoresKeepAttentionAxes
    }
}
