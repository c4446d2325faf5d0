import Testing
@testable import ModelKit
@testable import KerasFormat

// The layer classes issue 15 added to the catalog: shapes and counts from a config, and the
// lookup rules, by hand arithmetic shown beside each case. (Their outputs against Keras's are
// in MaskExecutionTests over Tests/Fixtures/execution/classes, made by
// make_execution_classes.py.)

private func decode(_ className: String, _ json: String) throws -> any Operator { try catalogKind(className, json) }

private func s(_ dims: Int?...) -> TensorShape { TensorShape(dims) }

struct NewClassCase: Sendable, CustomStringConvertible {
    let className: String
    let config: String
    let inputs: [TensorShape]
    let shape: TensorShape
    let params: Int
    let nonTrainable: Int
    let note: String
    var description: String { "\(className): \(note)" }
}

@Suite struct NewLayerClassTests {
    static let cases: [NewClassCase] = [
        // query 8·(4·4)+16, key 8·(2·4)+8, value the same, output (4·4)·8+8: 144+72+72+136 = 424
        // (Keras: gqa_self 424).
        NewClassCase(className: "GroupQueryAttention", config: #"{"head_dim": 4, "num_query_heads": 4, "num_key_value_heads": 2}"#,
                     inputs: [s(nil, 6, 8), s(nil, 6, 8)], shape: s(nil, 6, 8), params: 424, nonTrainable: 0, note: "self attention, 2 groups"),
        // No biases: query 8·6·3 = 144, key 6·2·3 = 36, value 8·2·3 = 48, output 6·3·8 = 144: 372.
        NewClassCase(className: "GroupedQueryAttention", config: #"{"head_dim": 3, "num_query_heads": 6, "num_key_value_heads": 2, "use_bias": false}"#,
                     inputs: [s(nil, 5, 8), s(nil, 7, 8), s(nil, 7, 6)], shape: s(nil, 5, 8), params: 372, nonTrainable: 0, note: "separate key, no bias"),
        // With the gate: query 6·3·2+6 = 42, key 6·1·2+2 = 14, gate 42, value 14, output 3·2·6+6 = 42: 154.
        NewClassCase(className: "GroupQueryAttention", config: #"{"head_dim": 2, "num_query_heads": 3, "num_key_value_heads": 1, "use_gate": true, "sliding_window": 3}"#,
                     inputs: [s(nil, 7, 6), s(nil, 7, 6)], shape: s(nil, 7, 6), params: 154, nonTrainable: 0, note: "gate and window"),
        // Dense 5→4: 24 trainable, vector_u (1, 4) not trainable.
        NewClassCase(className: "SpectralNormalization", config: #"{"layer": {"class_name": "Dense", "config": {"name": "dense", "units": 4}}}"#,
                     inputs: [s(nil, 5)], shape: s(nil, 4), params: 28, nonTrainable: 4, note: "around Dense"),
        // Conv2D 3×3×3→4 same: 108 + 4, vector_u (1, 4).
        NewClassCase(className: "SpectralNormalization", config: #"{"layer": {"class_name": "Conv2D", "config": {"name": "c", "filters": 4, "kernel_size": 3, "padding": "same"}}, "power_iterations": 2}"#,
                     inputs: [s(nil, 6, 6, 3)], shape: s(nil, 6, 6, 4), params: 116, nonTrainable: 4, note: "around Conv2D"),
        // 11·4 table plus the untied reverse table 4·11.
        NewClassCase(className: "ReversibleEmbedding", config: #"{"input_dim": 11, "output_dim": 4, "tie_weights": false}"#,
                     inputs: [s(nil, 5)], shape: s(nil, 5, 4), params: 88, nonTrainable: 0, note: "untied"),
        NewClassCase(className: "ReversibleEmbedding", config: #"{"input_dim": 11, "output_dim": 4}"#,
                     inputs: [s(nil, 5)], shape: s(nil, 5, 4), params: 44, nonTrainable: 0, note: "tied"),
        // Vocabulary of 4, one OOV index: depth 5.
        NewClassCase(className: "IntegerLookup", config: #"{"vocabulary": [12, 36, 1138, 42], "output_mode": "one_hot"}"#,
                     inputs: [s(nil, 4)], shape: s(nil, 4, 5), params: 0, nonTrainable: 0, note: "one_hot appends the depth"),
        NewClassCase(className: "IntegerLookup", config: #"{"vocabulary": [12, 36, 1138, 42], "output_mode": "one_hot"}"#,
                     inputs: [s(nil, 1)], shape: s(nil, 5), params: 0, nonTrainable: 0, note: "one_hot replaces a trailing 1"),
        // multi_hot with a mask token: the mask takes no index (oovStart 0), depth 1 + 4.
        NewClassCase(className: "IntegerLookup", config: #"{"vocabulary": [12, 36, 1138, 42], "output_mode": "multi_hot", "mask_token": 0}"#,
                     inputs: [s(nil, 4)], shape: s(nil, 5), params: 0, nonTrainable: 0, note: "multi_hot with a mask"),
        // Two OOV indices: depth 6; padded to max_tokens 10.
        NewClassCase(className: "IntegerLookup", config: #"{"vocabulary": [12, 36, 1138, 42], "output_mode": "count", "num_oov_indices": 2, "pad_to_max_tokens": true, "max_tokens": 10}"#,
                     inputs: [s(nil, 4)], shape: s(nil, 10), params: 0, nonTrainable: 0, note: "count padded to max_tokens"),
        // A config without its archive: the size (vocabulary_size 5) is known, the keys not.
        NewClassCase(className: "IntegerLookup", config: #"{"vocabulary": null, "vocabulary_size": 5, "output_mode": "multi_hot"}"#,
                     inputs: [s(nil, 3)], shape: s(nil, 5), params: 0, nonTrainable: 0, note: "adapted, config only"),
        NewClassCase(className: "CategoryEncoding", config: #"{"num_tokens": 6, "output_mode": "count"}"#,
                     inputs: [s(nil, 3)], shape: s(nil, 6), params: 0, nonTrainable: 0, note: "count"),
        // Strings: vocabulary of 5 with one OOV index: depth 6 (Keras: string_lookup_multi_hot (None, 6)).
        NewClassCase(className: "StringLookup", config: #"{"vocabulary": ["the", "fox", "dog", "quick", "over"], "output_mode": "multi_hot"}"#,
                     inputs: [s(nil, 4)], shape: s(nil, 6), params: 0, nonTrainable: 0, note: "multi_hot"),
        NewClassCase(className: "TextVectorization", config: #"{"vocabulary": ["a", "b"], "output_sequence_length": 7}"#,
                     inputs: [s(nil, 1)], shape: s(nil, 7), params: 0, nonTrainable: 0, note: "int, fixed length"),
        // Mask "" and [UNK] take indices 0 and 1 in int mode, but an encoding drops the mask:
        // depth 1 + 8; Keras declares (None, 1, 9) for a (None, 1) input.
        NewClassCase(className: "TextVectorization", config: #"{"vocabulary": ["a", "b", "c", "d", "e", "f", "g", "h"], "output_mode": "multi_hot"}"#,
                     inputs: [s(nil, 1)], shape: s(nil, 1, 9), params: 0, nonTrainable: 0, note: "multi_hot as Keras declares it"),
        NewClassCase(className: "Hashing", config: #"{"num_bins": 9, "mask_value": "", "output_mode": "multi_hot"}"#,
                     inputs: [s(nil, 4)], shape: s(nil, 9), params: 0, nonTrainable: 0, note: "multi_hot"),
        NewClassCase(className: "Hashing", config: #"{"num_bins": 1000}"#,
                     inputs: [s(nil, 4)], shape: s(nil, 4), params: 0, nonTrainable: 0, note: "int"),
        // frame 16 → fft 16, 9 bins; real and imaginary kernels 16·1·9 each: 288 (Keras: stft_log);
        // frames (50 - 16) / 5 + 1 = 7; 2 channels · 9 bins = 18.
        NewClassCase(className: "STFTSpectrogram", config: #"{"frame_length": 16, "frame_step": 5}"#,
                     inputs: [s(nil, 50, 2)], shape: s(nil, 7, 18), params: 288, nonTrainable: 0, note: "log"),
        // Same padding: ceil(37 / 4) = 10 frames; fft 16 → 9 bins; kernels 12·9·2 = 216.
        NewClassCase(className: "STFTSpectrogram", config: #"{"mode": "magnitude", "frame_length": 12, "frame_step": 4, "fft_length": 16, "padding": "same"}"#,
                     inputs: [s(nil, 37, 1)], shape: s(nil, 10, 9), params: 216, nonTrainable: 0, note: "same padding"),
        // stft mode: real then imaginary, 2·5 bins per channel; only the real part: one kernel.
        NewClassCase(className: "STFTSpectrogram", config: #"{"mode": "real", "frame_length": 8, "expand_dims": true}"#,
                     inputs: [s(nil, 30, 3)], shape: s(nil, 6, 5, 3), params: 40, nonTrainable: 0, note: "real, expanded"),
        // Keras declares (300 + 16 + 1) / 16 = 19 frames.
        NewClassCase(className: "MelSpectrogram", config: #"{"fft_length": 64, "sequence_stride": 16, "num_mel_bins": 12}"#,
                     inputs: [s(nil, 300)], shape: s(nil, 12, 19), params: 0, nonTrainable: 0, note: "declared frames"),
        NewClassCase(className: "ContrastLimitedAdaptiveHistogramEqualization", config: #"{"tile_grid_size": [3, 4]}"#,
                     inputs: [s(nil, 13, 10, 1)], shape: s(nil, 13, 10, 1), params: 0, nonTrainable: 0, note: "shape kept"),
        NewClassCase(className: "HashedCrossing", config: #"{"num_bins": 11}"#,
                     inputs: [s(nil, 1), s(nil, 1)], shape: s(nil, 1), params: 0, nonTrainable: 0, note: "int"),
        NewClassCase(className: "HashedCrossing", config: #"{"num_bins": 11, "output_mode": "one_hot"}"#,
                     inputs: [s(nil, 1), s(nil, 1)], shape: s(nil, 11), params: 0, nonTrainable: 0, note: "one_hot"),
        NewClassCase(className: "AutoContrast", config: #"{"value_range": [0, 1]}"#,
                     inputs: [s(nil, 4, 4, 2)], shape: s(nil, 4, 4, 2), params: 0, nonTrainable: 0, note: "shape kept"),
    ]

    @Test(arguments: cases)
    func shapeAndCount(_ c: NewClassCase) throws {
        let op = try decode(c.className, c.config)
        let shapes = try op.outputShapes(c.inputs)
        #expect(shapes.first == c.shape, "\(shapes)")
        let w = try op.weights(c.inputs)
        #expect(w.compactMap(\.count).reduce(0, +) == c.params)
        #expect(w.filter { $0.trainable == false }.compactMap(\.count).reduce(0, +) == c.nonTrainable)
    }

    /// index_lookup.py by hand: vocabulary [12, 36, 1138, 42].
    @Test func lookupRules() throws {
        func table(_ op: VocabularyLookupOp) -> [Int: Int] {
            var t: [Int: Int] = [:]
            for (i, k) in (op.vocabulary ?? []).enumerated() { t[k] = i }
            return t
        }
        // int, one OOV index: OOV → 0, vocabulary from 1.
        let plain = try #require(try decode("IntegerLookup", #"{"vocabulary": [12, 36, 1138, 42]}"#) as? VocabularyLookupOp)
        #expect(try [12, 36, 1138, 42, 5, -3].map { try plain.lookup($0, table: table(plain)) } == [1, 2, 3, 4, 0, 0])
        // int with a mask token: mask → 0, OOV → 1, vocabulary from 2.
        let masked = try #require(try decode("IntegerLookup", #"{"vocabulary": [12, 36], "mask_token": 0}"#) as? VocabularyLookupOp)
        #expect(try [0, 12, 36, 7].map { try masked.lookup($0, table: table(masked)) } == [0, 2, 3, 1])
        // Two OOV indices: floormod(key, 2) → 0 or 1; -3 mod 2 = 1; vocabulary from 2.
        let two = try #require(try decode("IntegerLookup", #"{"vocabulary": [12, 36], "num_oov_indices": 2}"#) as? VocabularyLookupOp)
        #expect(try [12, 7, 8, -3].map { try two.lookup($0, table: table(two)) } == [2, 1, 0, 1])
        // A vocabulary that starts with the special tokens has them removed: [-1, 12] is [12].
        let special = try #require(try decode("IntegerLookup", #"{"vocabulary": [-1, 12]}"#) as? VocabularyLookupOp)
        #expect(special.vocabulary == [12])
        // Inverse: 0 is the OOV index → oov_token -1; 1, 2 → 12, 36; 9 → -1.
        let inverse = try #require(try decode("IntegerLookup", #"{"vocabulary": [12, 36], "invert": true}"#) as? VocabularyLookupOp)
        #expect(try [0, 1, 2, 9].map { try inverse.lookup($0, table: [:]) } == [-1, 12, 36, -1])
        // No OOV indices: an unknown key is an error naming it.
        let strict = try #require(try decode("IntegerLookup", #"{"vocabulary": [12], "num_oov_indices": 0}"#) as? VocabularyLookupOp)
        #expect(throws: LayerError.self) { _ = try strict.lookup(5, table: table(strict)) }
    }

    @Test func badConfigsNameTheKey() {
        func message(_ cls: String, _ json: String) -> String {
            do { _ = try decode(cls, json); return "" } catch { return String(describing: error) }
        }
        #expect(message("GroupQueryAttention", #"{"head_dim": 4, "num_query_heads": 4, "num_key_value_heads": 3}"#).contains("num_key_value_heads"))
        #expect(message("GroupQueryAttention", #"{"head_dim": 4, "num_query_heads": 4, "num_key_value_heads": 2, "sliding_window": 0}"#).contains("sliding_window"))
        #expect(message("IntegerLookup", #"{"vocabulary": [1, 1]}"#).contains("repeats"))
        #expect(message("IntegerLookup", #"{"vocabulary": [1], "output_mode": "tf_idf"}"#).contains("tf_idf"))
        #expect(message("IntegerLookup", #"{"vocabulary": null}"#).contains("vocabulary"))
        #expect(message("Hashing", #"{"num_bins": 4, "salt": 7}"#).contains("salt"))
        #expect(message("TextVectorization", #"{"vocabulary": ["a"], "split": "my_package>split"}"#).contains("split"))
        #expect(message("StringLookup", #"{"vocabulary": ["a", "a"]}"#).contains("repeats"))
        #expect(message("STFTSpectrogram", #"{"frame_length": 16, "fft_length": 8}"#).contains("fft_length"))
        #expect(message("STFTSpectrogram", #"{"mode": "phase"}"#).contains("mode"))
        #expect(message("MelSpectrogram", #"{"fft_length": 64, "sequence_length": 100}"#).contains("sequence_length"))
        #expect(message("HashedCrossing", #"{"num_bins": 4, "output_mode": "count"}"#).contains("output_mode"))
        #expect(message("SpectralNormalization", #"{"layer": {"class_name": "Dense", "config": {"units": 2}}, "power_iterations": 0}"#).contains("power_iterations"))
    }

    /// A reversible embedding's reverse call: (…, 4) → (…, 11) and 5·4·11 MACs per sample.
    @Test func reverseCall() throws {
        let op = ReverseEmbeddingOp(inputDim: 11, outputDim: 4, separateTable: false, softCap: nil)
        #expect(try op.outputShapes([s(nil, 5, 4)]) == [s(nil, 5, 11)])
        #expect(op.macs([s(nil, 5, 4)], [s(nil, 5, 11)]) == 220)
        #expect(throws: LayerError.self) { _ = try op.outputShapes([s(nil, 5, 3)]) }
    }
}
