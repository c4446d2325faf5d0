/// The shape rule of the element-wise merges (sum, difference, product, mean, maximum,
/// minimum) and of the other operators that combine their inputs element by element.
///
/// Shapes without the batch are combined pairwise from the right: a shorter shape lines up
/// with the end of the longer; per axis an unknown size gives unknown, a 1 takes the other
/// size, otherwise both sizes must be equal. The batch is the one known batch size of the
/// inputs, or unknown. Different known batch sizes are an error.
public enum ElementwiseMerge {
    /// Output shape of merging `inputs`, or a `LayerError` naming both incompatible shapes.
    public static func outputShape(_ inputs: [TensorShape], _ layer: String) throws -> TensorShape {
        guard let first = inputs.first else { throw LayerError("\(layer) needs a list of inputs, found none") }
        guard inputs.allSatisfy({ $0.rank >= 1 }) else {
            throw LayerError("\(layer) inputs must have a batch axis, found \(inputs.map(\.description).joined(separator: ", "))")
        }
        let batches = Set(inputs.compactMap { $0[0] })
        guard batches.count <= 1 else {
            throw LayerError("\(layer) cannot merge tensors with different batch sizes: \(inputs.map(\.description).joined(separator: ", "))")
        }
        var out = Array(first.dims.dropFirst())
        for other in inputs.dropFirst() {
            out = try combine(out, Array(other.dims.dropFirst()), layer: layer, first: first, other: other)
        }
        return TensorShape([batches.first] + out)
    }

    static func combine(_ a: [Int?], _ b: [Int?], layer: String, first: TensorShape, other: TensorShape) throws -> [Int?] {
        let (long, short) = a.count >= b.count ? (a, b) : (b, a)
        if short.isEmpty { return long }
        var out = Array(long.prefix(long.count - short.count))
        for (i, j) in zip(long.suffix(short.count), short) {
            guard let i, let j else { out.append(nil); continue }
            if i == 1 { out.append(j) } else if j == 1 { out.append(i) } else {
                guard i == j else {
                    throw LayerError("\(layer) inputs have incompatible shapes \(first) and \(other) (sizes \(i) and \(j) cannot be combined)")
                }
                out.append(i)
            }
        }
        return out
    }
}
