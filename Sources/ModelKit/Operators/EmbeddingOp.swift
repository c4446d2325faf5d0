/// Looks up a learned vector for each integer id: input `(batch, ...)` of ids, output the same
/// shape with `output_dim` appended.
///
/// Weights: embeddings `(input_dim, output_dim)`; with `lora_rank` (Keras 3) the embeddings
/// are frozen and `lora_embeddings_a (input_dim, rank)` and `lora_embeddings_b
/// (rank, output_dim)` are added. tf.keras's `input_length` fills in unknown sequence axes
/// (Keras 3 drops the key, so only Keras 2 configs use it).
/// MACs: 0 (a table lookup, no multiplication).
/// Upstream: keras/src/layers/core/embedding.py.
public struct EmbeddingOp: Operator {
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .embedding }


    /// `input_dim`: number of ids, the rows of the table.
    public let inputDim: Int
    /// `output_dim`: size of each vector.
    public let outputDim: Int
    /// tf.keras `input_length`, one entry per axis after the batch (used for Keras 2 configs only).
    public let inputLength: [Int?]?
    /// `lora_rank` (Keras 3): rank of the low-rank adapter, nil without one.
    public let loraRank: Int?
    /// Whether `inputLength` is checked against the input and fills its unknown axes (the
    /// older API did; the current one ignores the key).
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
