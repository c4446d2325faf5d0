import ModelKit

/// Fills the dimensions a model leaves open from "224,224,3"-style strings (one per model
/// input, without the batch), checking them against what the model declares.
enum InputShapes {
    /// `224,224,3` or `224x224x3` -> [224, 224, 3].
    static func parse(_ text: String) throws -> [Int] {
        let parts = text.split(whereSeparator: { $0 == "," || $0 == "x" || $0 == "X" })
        let dims = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, dims.count == parts.count, dims.allSatisfy({ $0 > 0 }) else {
            throw StrataError("input shape \"\(text)\": expected positive sizes separated by commas, e.g. 224,224,3")
        }
        return dims
    }

    /// The declared input shapes with open dimensions filled in.
    static func fill(_ graph: ModelGraph, _ texts: [String]) throws -> [TensorShape] {
        let declared = Analyzer.declaredInputShapes(graph)
        guard texts.count == declared.count else {
            throw StrataError("the model has \(declared.count) input(s); \(texts.count) input shape(s) were given")
        }
        return try zip(declared, texts).enumerated().map { i, pair in
            let dims = try parse(pair.1)
            guard let shape = pair.0 else { return TensorShape([nil] + dims.map { $0 }) }
            guard shape.rank == dims.count + 1 else {
                throw StrataError("input \(i + 1) has shape \(shape); input shape \(pair.1) gives \(dims.count) dimensions, expected \(shape.rank - 1)")
            }
            var out = shape
            for (axis, d) in dims.enumerated() {
                if let known = shape.dims[axis + 1], known != d {
                    throw StrataError("input \(i + 1) declares \(known) on axis \(axis + 1) of \(shape); input shape gives \(d)")
                }
                out.dims[axis + 1] = d
            }
            return out
        }
    }
}
