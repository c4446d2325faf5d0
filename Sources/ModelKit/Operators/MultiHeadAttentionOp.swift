/// Multi-head attention: projects query, key and value into `numHeads` heads, lets every
/// query position attend to the key positions (over the attention axes), and projects the
/// heads back.
///
/// Called with `query (batch, Tq, ..., dq)`, `value (batch, Tv, ..., dv)` and optionally
/// `key (batch, Tv, ..., dk)` (default: the value). Output: the query shape with the last axis
/// replaced by `outputShape` (default: `dq`). With `returnAttentionScores` a second output
/// holds the scores: `(batch, non-attention axes..., H, query attention axes...,
/// key attention axes...)` when `scoresKeepAttentionAxes`, otherwise `(batch, H, Tq, Tq)`,
/// the query length standing for the key length as the file's version reports it.
///
/// Weights, one einsum projection each, in this order: `query/kernel (dq, H, keyDim)`,
/// `query/bias (H, keyDim)`, `key/kernel (dk, H, keyDim)`, `key/bias`, [`gate/kernel
/// (dq, H, valueDim)`, `gate/bias` with `useGate`], `value/kernel (dv, H, valueDim)`,
/// `value/bias (H, valueDim)`, `attention_output/kernel (H, valueDim, *out)`,
/// `attention_output/bias (*out)`. No biases without `useBias`.
/// MACs: the four (five with the gate) projections, plus the score product
/// (H·Tq·Tv·keyDim) and the weighted sum of values (H·Tq·Tv·valueDim).
///
/// Grouped-query attention is the same operator with `keyValueHeads` < H: key and value are
/// projected into that many heads (`key/kernel (dk, G, keyDim)`, `value/kernel (dv, G,
/// valueDim)`), each shared by H/G query heads (query head h reads key/value head
/// h / (H/G)); its scores are `(batch, H, Tq, Tv)`.
public struct MultiHeadAttentionOp: Operator {
    public var family: String { "multi_head_attention" }
    /// Each query position attends only to keys at or before it.
    public var useCausalMask: Bool = false
    /// Query position i attends only to key positions j with |i - j| < the window.
    public var slidingWindow: Int?
    /// Number of key/value heads (grouped-query attention); nil: one per query head.
    public var keyValueHeads: Int?
    /// Heads of the key and value projections.
    public var kvHeads: Int { keyValueHeads ?? numHeads }
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .kernel }


    /// Number of heads (H).
    public let numHeads: Int
    /// Size of each head for query and key.
    public let keyDim: Int
    /// Size of each head for value.
    public let valueDim: Int
    /// Whether the projections add biases.
    public let useBias: Bool
    /// A sigmoid gate, projected from the query, multiplies the attended values.
    public let useGate: Bool
    /// Trailing output dims; nil means the query's last dim.
    public let outputShape: [Int]?
    /// Attention axes as saved (may be negative); nil means every axis between batch and features.
    public let attentionAxes: [Int]?
    /// Adds the scores output (a call argument, which the reader resolves).
    public var returnAttentionScores: Bool
    /// Whether the scores output keeps the attention axes of query and key (`(batch, ...,
    /// heads, *query axes, *key axes)`) rather than `(batch, heads, q, q)`; the reader says
    /// which form the file's version reports.
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
        // Negative attention axes count from the input's rank.
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
        w += projection("key", [dk, kvHeads, keyDim], [kvHeads, keyDim])
        if useGate { w += projection("gate", [dq, numHeads, valueDim], [numHeads, valueDim]) }
        w += projection("value", [dv, kvHeads, valueDim], [kvHeads, valueDim])
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
            checkedProduct([nk, dk, kvHeads, keyDim]),
            useGate ? checkedProduct([nq, dq, numHeads, valueDim]) : 0,
            checkedProduct([nv, dv, kvHeads, valueDim]),
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
