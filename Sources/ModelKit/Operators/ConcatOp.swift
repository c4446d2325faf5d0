/// Joins its inputs along one axis.
///
/// All inputs have the same rank and agree on every axis except `axis` (negative counts from
/// the end; an unknown size agrees with anything). Output: the first input's shape with the
/// sizes on `axis` summed (unknown if any is unknown). No weights. MACs: 0.
public struct ConcatOp: Operator {
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .merge }
    public var family: String { "concatenate" }


    public let axis: Int


    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        guard let first = inputs.first else { throw LayerError("\(sourceClass) needs a list of inputs, found none") }
        let all = inputs.map(\.description).joined(separator: ", ")
        guard inputs.allSatisfy({ $0.rank == first.rank }) else {
            throw LayerError("\(sourceClass) inputs must have the same rank, found \(all)")
        }
        guard let a = first.normalizedAxis(axis) else {
            throw LayerError("\(sourceClass) axis \(axis) is out of range for inputs \(all)")
        }
        for d in 0..<first.rank where d != a {
            let known = Set(inputs.compactMap { $0[d] })
            guard known.count <= 1 else {
                throw LayerError("\(sourceClass) on axis \(axis) needs inputs with matching shapes except on that axis, found \(all) (axis \(d) differs)")
            }
        }
        var out = first
        var total: Int? = 0
        for s in inputs {
            guard let t = total, let n = s[a] else { total = nil; break }
            let (sum, overflow) = t.addingReportingOverflow(n)
            guard !overflow else { throw LayerError("\(sourceClass) output size overflows for inputs \(all)") }
            total = sum
        }
        out[a] = total
        return [out]
    }

    /// Every property, as a reader sets them.
    public init(axis: Int) {
        self.axis = axis
    }
}
