/// Looks up a learned vector for each integer id: input `(batch, ...)` of ids, output the same
/// shape with `outputDim` appended.
///
/// Weights: `embeddings` `(inputDim, outputDim)`; with a low-rank adapter (`loraRank`) the
/// embeddings are frozen and `lora_embeddings_a (inputDim, rank)` and `lora_embeddings_b
/// (rank, outputDim)` are added. A declared `inputLength` fills in unknown sequence axes
/// when `checksInputLength`.
/// MACs: 0 (a table lookup, no multiplication).
public struct EmbeddingOp: Operator {
    public var family: String { "embedding" }
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .embedding }


    /// Number of ids, the rows of the table.
    public let inputDim: Int
    /// Size of each vector.
    public let outputDim: Int
    /// The declared length of each axis after the batch, when the file declares one.
    public let inputLength: [Int?]?
    /// Rank of the low-rank adapter (LoRA), nil without one.
    public let loraRank: Int?
    /// Whether `inputLength` is checked against the input and fills its unknown axes (the
    /// reader says whether the file's version does).
    public var checksInputLength: Bool
    /// Whether id 0 is reserved as padding (masked), so valid ids start at 1.
    public var maskZero: Bool = false


    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        var dims = try Shapes.single(inputs, sourceClass).dims
        if checksInputLength, let lengths = inputLength, dims.count == lengths.count + 1 {
            for (i, l) in lengths.enumerated() {
                guard let l else { continue }
                if let d = dims[i + 1] {
                    if d != l {
                        throw LayerError("\"input_length\" is \(lengths.map { $0.map(String.init) ?? "None" }), but the input has shape \(TensorShape(dims))")
                    }
                } else {
                    dims[i + 1] = l
                }
            }
        }
        return [TensorShape(dims + [outputDim])]
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        guard let r = loraRank else { return [WeightSpec("embeddings", [inputDim, outputDim])] }
        return [
            WeightSpec("embeddings", [inputDim, outputDim], trainable: false),
            WeightSpec("lora_embeddings_a", [inputDim, r]),
            WeightSpec("lora_embeddings_b", [r, outputDim]),
        ]
    }

    /// Every property, as a reader sets them.
    public init(inputDim: Int, outputDim: Int, inputLength: [Int?]?, loraRank: Int?, checksInputLength: Bool) {
        self.inputDim = inputDim
        self.outputDim = outputDim
        self.inputLength = inputLength
        self.loraRank = loraRank
        self.checksInputLength = checksInputLength
    }

    /// The valid ids: `0..<inputDim`, from 1 when id 0 is masked.
    public var idInputRange: Range<Int>? { (maskZero ? 1 : 0) < inputDim ? (maskZero ? 1 : 0)..<inputDim : 0..<0 }
}
