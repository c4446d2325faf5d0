import Tensors

/// The contents of a small tensor known before the model runs: a constant the file holds,
/// or the result of shape arithmetic on it (a tensor's shape taken as data, an index picked
/// from it, a list of sizes joined for a reshape). Shape inference carries these alongside
/// the shapes so a reshape whose target is computed from another tensor's shape still gets
/// numbers.
///
/// Integer contents are `Dim`s, so a size the file names (`N`) stays a name through the
/// arithmetic; floating-point contents (resize scales) are `floats`. Either may be nil: the
/// shape is known but not the contents (a large constant, a value computed at run time).
public struct TensorValue: Sendable, Hashable, CustomStringConvertible {
    /// The tensor's own shape (`[]` for a scalar, `[4]` for a list of four sizes).
    public var shape: [Int]
    /// Integer contents in row-major order, when known.
    public var elements: [Dim]?
    /// Floating-point contents, when the tensor is floating point and known.
    public var floats: [Double]?

    /// Contents larger than this are not kept (shape arithmetic works on a handful of
    /// numbers; a weight tensor is not data to propagate).
    public static let maxElements = 1 << 12

    public init(shape: [Int], elements: [Dim]? = nil, floats: [Double]? = nil) {
        self.shape = shape
        self.elements = elements
        self.floats = floats
    }

    /// A 1-D list of known integers.
    public init(ints: [Int]) { self.init(shape: [ints.count], elements: ints.map { .known($0) }) }

    /// A scalar integer.
    public init(scalar: Dim) { self.init(shape: [], elements: [scalar]) }

    /// Number of elements; nil when it overflows.
    public var count: Int? { checkedProduct(shape) }

    /// The contents as plain integers when every one is known.
    public var ints: [Int]? {
        if let elements {
            var out: [Int] = []
            out.reserveCapacity(elements.count)
            for e in elements {
                guard let v = e.value else { return nil }
                out.append(v)
            }
            return out
        }
        if let floats, floats.allSatisfy({ $0.rounded() == $0 && abs($0) < 9e18 }) { return floats.map { Int($0) } }
        return nil
    }

    /// The contents as `Dim`s (floats that are whole numbers included).
    public var dims: [Dim]? {
        if let elements { return elements }
        if let floats, floats.allSatisfy({ $0.rounded() == $0 && abs($0) < 9e18 }) { return floats.map { .known(Int($0)) } }
        return nil
    }

    /// The contents as doubles when all are known numbers.
    public var doubles: [Double]? {
        if let floats { return floats }
        return ints?.map(Double.init)
    }

    public var description: String {
        if let elements { return "\(shape.isEmpty ? "" : "\(shape)")[" + elements.map(\.description).joined(separator: ", ") + "]" }
        if let floats { return "\(shape)\(floats)" }
        return "\(shape) (contents unknown)"
    }
}

extension Dim {
    /// Sum; a name survives adding zero.
    public static func + (a: Dim, b: Dim) -> Dim {
        switch (a, b) {
        case (.known(let x), .known(let y)): let (s, o) = x.addingReportingOverflow(y); return o ? .unknown : .known(s)
        case (_, .known(0)): return a
        case (.known(0), _): return b
        default: return .unknown
        }
    }

    /// Difference; a name survives subtracting zero.
    public static func - (a: Dim, b: Dim) -> Dim {
        switch (a, b) {
        case (.known(let x), .known(let y)): let (s, o) = x.subtractingReportingOverflow(y); return o ? .unknown : .known(s)
        case (_, .known(0)): return a
        case (.symbolic(let x), .symbolic(let y)) where x == y: return .known(0)
        default: return .unknown
        }
    }

    /// Product; a name survives multiplying by one.
    public static func * (a: Dim, b: Dim) -> Dim {
        switch (a, b) {
        case (.known(let x), .known(let y)): let (p, o) = x.multipliedReportingOverflow(by: y); return o ? .unknown : .known(p)
        case (_, .known(1)): return a
        case (.known(1), _): return b
        case (_, .known(0)), (.known(0), _): return .known(0)
        default: return .unknown
        }
    }

    /// Integer division truncating toward zero (as C's and the common graph formats').
    public static func / (a: Dim, b: Dim) -> Dim {
        switch (a, b) {
        case (.known(let x), .known(let y)) where y != 0 && !(x == Int.min && y == -1):
            return .known(x / y)
        case (_, .known(1)): return a
        case (.symbolic(let x), .symbolic(let y)) where x == y: return .known(1)
        default: return .unknown
        }
    }
}

extension TensorValue {
    /// The tensor as the engine takes it, in this value's shape: `held` (the file's copy of the
    /// same tensor) when its size fits, else the known contents (integers, then floats); nil
    /// when neither is there.
    public func tensor(held: Tensor? = nil) -> Tensor? {
        let n = shape.reduce(1, *)
        if let held, held.count == n { return Tensor(shape: shape, data: held.data) }
        if let i = ints, i.count == n { return Tensor(shape: shape, data: i.map { Float($0) }) }
        if let f = floats, f.count == n { return Tensor(shape: shape, data: f.map { Float($0) }) }
        return nil
    }
}
