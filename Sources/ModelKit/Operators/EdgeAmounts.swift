/// Amounts added or removed at both ends of each spatial axis: the `padding` of
/// `ZeroPadding1D/2D/3D` and the `cropping` of `Cropping1D/2D/3D`.
///
/// Accepted forms, as Keras's constructors accept them (keras/src/layers/reshaping/zero_padding2d.py):
/// - 1D: an int `n` (both ends) or a pair `[left, right]`;
/// - 2D/3D: an int `n` (every end of every axis), a list of one entry per spatial axis,
///   each an int (both ends) or a pair `[before, after]`.
public struct EdgeAmounts: Sendable {
    /// One `(before, after)` pair per spatial axis.
    public let pairs: [(before: Int, after: Int)]


    public init(pairs: [(before: Int, after: Int)]) { self.pairs = pairs }


    /// Total amount on spatial axis `i` (before + after), nil on overflow.
    public func total(_ i: Int) -> Int? {
        let (s, o) = pairs[i].before.addingReportingOverflow(pairs[i].after)
        return o ? nil : s
    }

    /// Keras-style rendering: `((1, 1), (2, 2))`.
    public var text: String {
        "(" + pairs.map { "(\($0.before), \($0.after))" }.joined(separator: ", ") + ")"
    }
}
