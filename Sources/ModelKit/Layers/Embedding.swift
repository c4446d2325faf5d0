/// Looks up a learned vector for each integer id: input `(batch, ...)` of ids, output the same
/// shape with `output_dim` appended.
///
/// Weights: embeddings `(input_dim, output_dim)`; with `lora_rank` (Keras 3) the embeddings
/// are frozen and `lora_embeddings_a (input_dim, rank)` and `lora_embeddings_b
/// (rank, output_dim)` are added. tf.keras's `input_length` fills in unknown sequence axes
/// (Keras 3 drops the key, so only Keras 2 configs use it).
/// MACs: 0 (a table lookup, no multiplication).
/// Upstream: keras/src/layers/core/embedding.py.
public struct Embedding: LayerKind {
    public static let className = "Embedding"
    public static let category = LayerCategory.embedding
    public static let summary = "Turns each integer id (a word, a token, a category) into a learned vector; owns one table with a row per id."

    /// `input_dim`: number of ids, the rows of the table.
    public let inputDim: Int
    /// `output_dim`: size of each vector.
    public let outputDim: Int
    /// tf.keras `input_length`, one entry per axis after the batch (used for Keras 2 configs only).
    public let inputLength: [Int?]?
    /// `lora_rank` (Keras 3): rank of the low-rank adapter, nil without one.
    public let loraRank: Int?
    let isKeras2: Bool

    public init(config: LayerConfig) throws {
        inputDim = try config.positiveInt("input_dim")
        outputDim = try config.positiveInt("output_dim")
        isKeras2 = config.isKeras2
        if config.has("input_length") {
            if let list = try? config.shape("input_length") {
                inputLength = list
            } else {
                inputLength = [try config.int("input_length")]
            }
        } else {
            inputLength = nil
        }
        if let r = try config.optionalInt("lora_rank") {
            guard r > 0 else { throw config.error("lora_rank", "must be positive, found \(r)") }
            loraRank = r
        } else {
            loraRank = nil
        }
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        var dims = try Shapes.single(inputs, Self.className).dims
        if isKeras2, let lengths = inputLength, dims.count == lengths.count + 1 {
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
}
