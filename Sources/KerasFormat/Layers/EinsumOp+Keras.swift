import ModelKit

extension EinsumOp {
    /// EinsumDense (keras/src/layers/core/einsum_dense.py): `equation`, `output_shape` (Keras 3
    /// keeps `null` entries unknown, see below), `bias_axes`, `activation` and `lora_rank`.
    /// `EinsumOp.parse` matches the three regular expressions of `_analyze_einsum_string` (prefix
    /// matches, as `re.match`), and the kernel, bias and output shapes are
    /// `_analyze_split_string`'s, the reversed order of several left-elided axes included.
    ///
    /// tf.keras builds its graph by tracing `tf.einsum`, so an output axis left `null` in
    /// `output_shape` but shared with the input takes the input's size there; Keras 3 keeps it
    /// unknown (`fillsOpenAxesFromInput` for Keras 2 configs). Keras 3.15 does not broadcast a
    /// bias whose axes leave an output axis after the first bias axis as NumPy (and tf_keras)
    /// would, so `biasBroadcastsAsNumPy` holds for Keras 2 configs only and the engine refuses
    /// that case for Keras 3. The engine's contraction follows `einsum_dense.py` for equations
    /// without elision or with `...` on the left; its bias covers the output axes from the first
    /// bias axis to the end (Keras's `bias_output_spec`).
    public init(config: LayerConfig) throws {
        var equation: String
        var partialOutputShape: [Int?]
        var biasAxes: String?
        var activation: ActivationFunction
        var loraRank: Int?
        var parsed: Parsed
        var fillsOpenAxesFromInput: Bool
        equation = try config.string("equation")
        guard let p = EinsumOp.parse(equation) else {
            throw config.error("equation", "expected the form \"ab,bc->ac\", \"...b,bc->...c\" or \"ab...,bc->ac...\", found \"\(equation)\"")
        }
        parsed = p
        fillsOpenAxesFromInput = config.isKeras2
        if let i = config["output_shape"]?.intValue {
            partialOutputShape = [i]
        } else if let s = try config.shape("output_shape") {
            partialOutputShape = s.map { $0 == -1 ? nil : $0 }
        } else {
            throw config.error("output_shape", "missing key \"output_shape\"")
        }
        if let bad = partialOutputShape.first(where: { ($0 ?? 1) <= 0 }) {
            throw config.error("output_shape", "sizes must be positive, found \(bad!)")
        }
        biasAxes = try config.optionalString("bias_axes")
        if let biasAxes {
            for c in biasAxes where !p.output.contains(c) {
                throw config.error("bias_axes", "bias axis \"\(c)\" is not in the output spec \"\(String(p.output))\" of equation \"\(equation)\"")
            }
        }
        activation = try Activations.function(config)
        let lora = try config.optionalInt("lora_rank")
        if let lora, lora < 0 { throw config.error("lora_rank", "must be positive, found \(lora)") }
        loraRank = (lora ?? 0) > 0 ? lora : nil
        self.init(equation: equation, partialOutputShape: partialOutputShape, biasAxes: biasAxes, activation: activation, loraRank: loraRank, parsed: parsed, fillsOpenAxesFromInput: fillsOpenAxesFromInput)
        biasBroadcastsAsNumPy = config.isKeras2
    }
}
