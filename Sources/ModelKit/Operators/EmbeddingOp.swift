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
    /// A reversible embedding with its own table for the reverse product (untied):
    /// `reverse_embeddings (outputDim, inputDim)` after the table.
    public var separateReverseTable: Bool = false


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
        let reverse = separateReverseTable ? [WeightSpec("reverse_embeddings", [outputDim, inputDim])] : []
        guard let r = loraRank else { return [WeightSpec("embeddings", [inputDim, outputDim])] + reverse }
        return [
            WeightSpec("embeddings", [inputDim, outputDim], trainable: false),
            WeightSpec("lora_embeddings_a", [inputDim, r]),
            WeightSpec("lora_embeddings_b", [r, outputDim]),
        ] + reverse
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

/// The reverse call of a reversible embedding: vectors `(..., outputDim)` times the table's
/// transpose (or the separate reverse table) give scores over the ids `(..., inputDim)`,
/// optionally soft-capped as `cap · tanh(x / cap)`. The weights belong to the layer's
/// forward call (`EmbeddingOp` with `separateReverseTable`).
/// MACs: outputDim · inputDim per position.
public struct ReverseEmbeddingOp: Operator {
    public var family: String { "reverse_embedding" }
    public var sourceClass: String = ""
    public var category: LayerCategory { .embedding }
    /// Number of ids (the output width).
    public let inputDim: Int
    /// Size of each vector (the input width).
    public let outputDim: Int
    /// Uses the separate `reverse_embeddings` table rather than the transposed embeddings.
    public let separateTable: Bool
    /// `logit_soft_cap`, when set.
    public let softCap: Float?

    public init(inputDim: Int, outputDim: Int, separateTable: Bool, softCap: Float?) {
        self.inputDim = inputDim
        self.outputDim = outputDim
        self.separateTable = separateTable
        self.softCap = softCap
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let x = try Shapes.single(inputs, sourceClass)
        guard x.rank >= 1, x.dims.last.map({ $0 == nil || $0 == outputDim }) == true else {
            throw LayerError("called in reverse on \(x): its last axis must be the embedding size \(outputDim)")
        }
        return [TensorShape(Array(x.dims.dropLast()) + [inputDim])]
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        guard let x = inputs.first, let positions = Shapes.product(Array(x.dims.dropFirst().dropLast())) else { return nil }
        return checkedProduct([positions, outputDim, inputDim])
    }
}
