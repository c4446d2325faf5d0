/// Gives each sample a new shape with the same number of values.
///
/// The target shape excludes the batch and may hold one `-1`, which is inferred from the
/// input size. Output `(batch, *targetShape)`; when an input dimension is unknown the `-1`
/// stays unknown. No weights. MACs: 0.
public struct ReshapeOp: Operator {
    public var family: String { "reshape" }
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .reshape }


    /// Target dimensions without the batch; `-1` for the one inferred dimension, nil for unknown.
    public let targetShape: [Int?]


    public static func text(_ dims: [Int?]) -> String { TensorShape(dims).description }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, sourceClass)
        guard input.rank >= 1 else { throw LayerError("\(sourceClass) expects a batched input, found \(input)") }
        let rest = Array(input.dims.dropFirst())
        if rest.contains(where: { $0 == nil }) || targetShape.contains(where: { $0 == nil }) {
            return [TensorShape([input[0]] + targetShape.map { $0 == -1 ? nil : $0 })]
        }
        guard let inputSize = checkedProduct(rest.compactMap { $0 }) else {
            throw LayerError("\(sourceClass) input size overflows for input \(input)")
        }
        let known = targetShape.compactMap { $0 }.filter { $0 != -1 }
        guard let knownSize = checkedProduct(known) else {
            throw LayerError("\(sourceClass) target_shape \(Self.text(targetShape)) has an overflowing size")
        }
        let inputText = TensorShape(rest).description
        if !targetShape.contains(where: { $0 == -1 }) {
            guard knownSize == inputSize else {
                throw LayerError("\(sourceClass) cannot turn input \(input) (\(inputSize) values per sample, shape \(inputText)) into target_shape \(Self.text(targetShape)) (\(knownSize) values): the total size must be unchanged")
            }
            return [TensorShape([input[0]] + targetShape)]
        }
        guard knownSize != 0, inputSize % knownSize == 0 else {
            throw LayerError("\(sourceClass) cannot turn input \(input) (\(inputSize) values per sample, shape \(inputText)) into target_shape \(Self.text(targetShape)): \(inputSize) is not divisible by the known dimensions' product \(knownSize)")
        }
        return [TensorShape([input[0]] + targetShape.map { $0 == -1 ? inputSize / knownSize : $0 })]
    }

    /// Every property, as a reader sets them.
    public init(targetShape: [Int?]) {
        self.targetShape = targetShape
    }
}
