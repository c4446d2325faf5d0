/// The dot product of two tensors along one axis of each, per sample (a batched matmul).
///
/// `axes` holds one axis for both inputs (`sameAxisForBoth`) or one per input, negatives
/// counting from the end. Output: the first shape without its contracted axis, followed by
/// the second without its batch and contracted axis; a `(batch,)` result becomes
/// `(batch, 1)`. With `normalize` both inputs are L2-normalized along those axes first
/// (cosine similarity). No weights.
/// MACs: output elements × the contracted size (the batched matmul).
public struct DotOp: Operator {
    public var family: String { "dot" }
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .merge }


    /// Either one axis for both inputs or one per input (Python-style negatives allowed).
    public let axes: [Int]
    public let sameAxisForBoth: Bool
    public let normalize: Bool


    /// The contracted axis of each input, made non-negative.
    func resolvedAxes(_ x: TensorShape, _ y: TensorShape) throws -> (Int, Int) {
        let raw = sameAxisForBoth ? (axes[0], axes[0]) : (axes[0], axes[1])
        guard let a = x.normalizedAxis(raw.0), let b = y.normalizedAxis(raw.1) else {
            throw LayerError("\(sourceClass) axes \(sameAxisForBoth ? String(axes[0]) : "\(axes)") are out of range for inputs \(x) and \(y)")
        }
        guard a != 0, b != 0 else { throw LayerError("\(sourceClass) cannot contract the batch axis 0 (axes \(axes), inputs \(x) and \(y))") }
        return (a, b)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        guard inputs.count == 2 else {
            throw LayerError("\(sourceClass) must be called on exactly 2 inputs, found \(inputs.count): \(inputs.map(\.description).joined(separator: ", "))")
        }
        let (x, y) = (inputs[0], inputs[1])
        guard x.rank >= 2, y.rank >= 2 else { throw LayerError("\(sourceClass) needs inputs of rank 2 or more, found \(x) and \(y)") }
        let (a, b) = try resolvedAxes(x, y)
        if let d1 = x[a], let d2 = y[b], d1 != d2 {
            throw LayerError("\(sourceClass) inputs \(x) and \(y) are incompatible: size \(d1) on axis \(a) against \(d2) on axis \(b)")
        }
        var left = x.dims
        left.remove(at: a)
        var right = y.dims
        right.remove(at: b)
        right.removeFirst()
        var out = left + right
        if out.count == 1 { out.append(1) }
        return [TensorShape(out)]
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        guard inputs.count == 2, let out = outputs.first, let (a, _) = try? resolvedAxes(inputs[0], inputs[1]),
              let k = inputs[0][a], let n = out.elementCount(batch: 1) else { return nil }
        return checkedProduct([n, k])
    }

    /// Every property, as a reader sets them.
    public init(axes: [Int], sameAxisForBoth: Bool, normalize: Bool) {
        self.axes = axes
        self.sameAxisForBoth = sameAxisForBoth
        self.normalize = normalize
    }
}
