/// One dimension of a tensor: a known size, a size named by the file but unknown until run
/// time (`N`, `batch_size`), or unknown.
public enum Dim: Hashable, Sendable, CustomStringConvertible {
    case known(Int)
    case symbolic(String)
    case unknown

    public var value: Int? { if case .known(let n) = self { return n }; return nil }

    public var description: String {
        switch self {
        case .known(let n): return String(n)
        case .symbolic(let name): return name
        case .unknown: return "?"
        }
    }
}

/// The shape of one tensor: one entry per axis, `nil` for a dimension that is unknown until
/// run time (almost always the batch). An unknown dimension may carry the name the file gives
/// it (`symbols`); shape rules work on the sizes, and the name follows the batch axis.
///
/// `description` prints an unknown size as `None`, `(None, 32, 32, 16)`, as the first
/// format Strata read does; `formatted(unknown:)` prints names and the format's own spelling.
/// Encodes as a list with `null` for an unknown size and the name for a symbolic one:
/// `[null, 32, 32, 16]`, `["N", 3, 224, 224]`.
public struct TensorShape: Hashable, Sendable, CustomStringConvertible, Codable {
    public var dims: [Int?]
    /// Names of unknown dimensions by axis (empty when the file names none).
    public var symbols: [String?] = []

    public init(_ dims: [Int?]) { self.dims = dims }

    /// A shape from dimensions that may be symbolic.
    public init(dimensions: [Dim]) {
        dims = dimensions.map(\.value)
        let names = dimensions.map { d -> String? in if case .symbolic(let n) = d { return n }; return nil }
        symbols = names.contains { $0 != nil } ? names : []
    }

    /// Each axis as a `Dim`.
    public var dimensions: [Dim] {
        dims.enumerated().map { i, d in
            if let d { return .known(d) }
            if i < symbols.count, let name = symbols[i] { return .symbolic(name) }
            return .unknown
        }
    }

    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        var dims: [Int?] = [], names: [String?] = []
        while !c.isAtEnd {
            if try c.decodeNil() { dims.append(nil); names.append(nil) } else if let n = try? c.decode(Int.self) {
                dims.append(n); names.append(nil)
            } else {
                dims.append(nil); names.append(try c.decode(String.self))
            }
        }
        self.dims = dims
        symbols = names.contains { $0 != nil } ? names : []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        for d in dimensions {
            switch d {
            case .known(let n): try c.encode(n)
            case .symbolic(let name): try c.encode(name)
            case .unknown: try c.encodeNil()
            }
        }
    }

    /// The name of the unknown dimension on `axis`, if the file gave it one.
    public func symbol(_ axis: Int) -> String? { axis < symbols.count ? symbols[axis] : nil }

    /// Printed with symbolic names and `unknown` for unnamed unknown sizes: `(N, 3, 224, 224)`.
    public func formatted(unknown: String) -> String {
        let parts = dimensions.map { d -> String in if case .unknown = d { return unknown }; return d.description }
        if parts.count == 1 { return "(\(parts[0]),)" }
        return "(" + parts.joined(separator: ", ") + ")"
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
