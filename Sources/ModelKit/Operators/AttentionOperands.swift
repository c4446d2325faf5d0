/// The tensors an attention operator is called on, shared by dot-product, additive and
/// multi-head attention: `[query, value]` or `[query, value, key]`, the key defaulting to the
/// value.
///
/// Each operator keeps its own error wording: `callForm` says what it must be called on,
/// `rankHint` (may be empty) follows the minimum rank.
public struct AttentionOperands: Sendable {
    /// `(batch, Tq, ..., dq)`.
    public let query: TensorShape
    /// `(batch, Tv, ..., dv)`.
    public let value: TensorShape
    /// `(batch, Tv, ..., dk)`; the value when the call has no key.
    public let key: TensorShape

    /// Requires at least two inputs and every operand of rank `minimumRank` or more.
    public init(_ inputs: [TensorShape], _ layer: String, callForm: String, minimumRank: Int, rankHint: String = "") throws {
        guard inputs.count >= 2 else {
            throw LayerError("\(layer) \(callForm), found \(inputs.count) input(s)")
        }
        query = inputs[0]
        value = inputs[1]
        key = inputs.count > 2 ? inputs[2] : value
        for (what, s) in [("query", query), ("value", value), ("key", key)] where s.rank < minimumRank {
            throw LayerError("\(layer) needs a \(what) of rank \(minimumRank) or more\(rankHint), found \(s)")
        }
    }

    /// The known feature size (last axis) of one operand, or an error naming it.
    public static func featureSize(_ s: TensorShape, _ what: String, _ layer: String) throws -> Int {
        guard let d = s.dims.last ?? nil else { throw LayerError("\(layer) needs a known feature size (last axis) of the \(what), found \(s)") }
        return d
    }
}
