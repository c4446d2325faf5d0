/// The shape of one tensor as Keras reports it: one entry per axis, `nil` for a dimension
/// that is unknown until run time (almost always the batch).
///
/// Prints the way `model.summary()` does: `(None, 32, 32, 16)`. Encodes as a list of
/// integers with `null` for an unknown dimension: `[null, 32, 32, 16]`.
public struct TensorShape: Hashable, Sendable, CustomStringConvertible, Codable {
    public var dims: [Int?]

    public init(_ dims: [Int?]) { self.dims = dims }

    public init(from decoder: any Decoder) throws {
        dims = try decoder.singleValueContainer().decode([Int?].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(dims)
    }

    /// A shape with an unknown batch axis in front of known dimensions.
    public static func batched(_ dims: [Int]) -> TensorShape { TensorShape([nil] + dims.map { $0 }) }

    public var rank: Int { dims.count }

    public subscript(axis: Int) -> Int? {
        get { dims[axis] }
        set { dims[axis] = newValue }
    }

    /// The dimension on `axis`, counting from the end when negative (Python style).
    public func dim(_ axis: Int) -> Int? {
        let a = axis < 0 ? rank + axis : axis
        guard a >= 0, a < rank else { return nil }
        return dims[a]
    }

    /// Resolves a Python-style axis (negative counts from the end) or returns nil when out of range.
    public func normalizedAxis(_ axis: Int) -> Int? {
        let a = axis < 0 ? rank + axis : axis
        return (a >= 0 && a < rank) ? a : nil
    }

    /// Number of elements with the batch axis (axis 0) taken as `batch`; nil when another
    /// dimension is unknown or the product overflows.
    public func elementCount(batch: Int = 1) -> Int? {
        var n = 1
        for (i, d) in dims.enumerated() {
            guard let v = i == 0 ? (d ?? batch) : d else { return nil }
            let (p, o) = n.multipliedReportingOverflow(by: v)
            if o { return nil }
            n = p
        }
        return n
    }

    /// Product of the dimensions after the batch axis, nil when any is unknown.
    public var featureCount: Int? {
        var n = 1
        for d in dims.dropFirst() {
            guard let v = d else { return nil }
            let (p, o) = n.multipliedReportingOverflow(by: v)
            if o { return nil }
            n = p
        }
        return n
    }

    public var description: String {
        let parts = dims.map { $0.map(String.init) ?? "None" }
        if parts.count == 1 { return "(\(parts[0]),)" }
        return "(" + parts.joined(separator: ", ") + ")"
    }
}
