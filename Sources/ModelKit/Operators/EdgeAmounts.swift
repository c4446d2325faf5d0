/// Amounts added or removed at both ends of each spatial axis (per-side padding or
/// cropping): one `(before, after)` pair per spatial axis.
public struct EdgeAmounts: Sendable {
    /// One `(before, after)` pair per spatial axis.
    public let pairs: [(before: Int, after: Int)]


    public init(pairs: [(before: Int, after: Int)]) { self.pairs = pairs }


    /// Total amount on spatial axis `i` (before + after), nil on overflow.
    public func total(_ i: Int) -> Int? {
        let (s, o) = pairs[i].before.addingReportingOverflow(pairs[i].after)
        return o ? nil : s
    }

    /// The pairs as nested tuples, for messages: `((1, 1), (2, 2))`.
    public var text: String {
        "(" + pairs.map { "(\($0.before), \($0.after))" }.joined(separator: ", ") + ")"
    }
}
