import Foundation
import Testing
import Kernels
import ModelKit
import Execution
@testable import KerasFormat

/// Forward-pass fixtures for sequence, text and attention layers
/// (Tests/Fixtures/execution/sequence, made by make_execution_sequence.py with real Keras).
enum SequenceFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/execution/sequence")

    /// Every case, and whether it has a tf_keras `model_keras2.h5`.
    static let cases: [(name: String, keras2: Bool)] = [
        ("lstm_sequences_state", true), ("lstm_backwards_nobias_relu", true), ("lstm_hard_sigmoid_keras3", false),
        ("lstm_initial_state", true), ("gru_reset_after", true), ("gru_reset_before_state_backwards", true),
        ("simple_rnn_stack", true), ("stacked_lstm_gru", true), ("embedding_mask_zero_lstm", true),
        ("bidirectional_lstm_concat", true), ("bidirectional_lstm_sum", true), ("bidirectional_gru_mul", true),
        ("bidirectional_rnn_ave", true), ("bidirectional_gru_none", true), ("bidirectional_lstm_state", true),
        ("time_distributed_dense", true), ("time_distributed_conv2d", true),
        ("embedding_dense", true), ("mha_self", true), ("mha_cross_key_nobias", true), ("mha_scores", true),
        ("mha_rank4_axes", true), ("attention_dot_scale", true), ("attention_concat_scores", true),
        ("additive_attention_keras3", false), ("additive_attention_scores", true), ("transformer_block", true),
        ("layer_norm_axes", true), ("layer_norm_rms_keras3", false), ("group_unit_norm", true),
        ("dot_repeat_permute", true), ("mha_causal", true), ("mha_gate_keras3", false), ("attention_causal", true),
        ("rnn_cells", true), ("category_encoding", true), ("bidirectional_lstm_initial_state", true),
        ("einsum_dense", true), ("mha_attention_mask", true),
    ]

    /// Cases Strata refuses with a clear error (their outputs are Keras's, unused).
    static let refused: [(name: String, keras2: Bool)] = [("einsum_dense_inner_bias_keras3", false)]

    /// tf_keras-only cases: just `model_keras2.h5`, outputs from tf_keras.
    static let keras2Only = ["lstm_hard_sigmoid_keras2", "einsum_dense_inner_bias_keras2"]

    static var runs: [String] {
        cases.flatMap { c in ["\(c.name)/model.keras"] + (c.keras2 ? ["\(c.name)/model_keras2.h5"] : []) }
            + keras2Only.map { "\($0)/model_keras2.h5" }
    }

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// input.npy, or input_0.npy, input_1.npy, ... (same for output).
    static func numbered(_ c: String, _ stem: String) throws -> [Tensor] {
        let single = path("\(c)/\(stem).npy")
        if FileManager.default.fileExists(atPath: single) { return [try NPY.readTensor(path: single)] }
        var out: [Tensor] = []
        while FileManager.default.fileExists(atPath: path("\(c)/\(stem)_\(out.count).npy")) {
            out.append(try NPY.readTensor(path: path("\(c)/\(stem)_\(out.count).npy")))
        }
        return out
    }

    static func load(_ run: String) throws -> (graph: ModelGraph, analysis: ModelAnalysis, weights: ModelWeights) {
        let graph = try ModelFileReader.read(path(run))
        let analysis = Analyzer.analyze(graph)
        return (graph, analysis, try ModelWeights.load(path: path(run), analysis: analysis))
    }
}

@Suite struct SequenceExecutionTests {
    /// A fresh oneDNN backend per run, so its fallback count is this run's alone.
    static func backends() -> [(String, any ComputeBackend)] { [("reference", ReferenceBackend()), ("oneDNN", DNNLBackend.preferred())] }

    @Test(arguments: SequenceFixtures.runs)
    func matchesKeras(_ run: String) throws {
        let name = String(run.split(separator: "/")[0])
        let (graph, _, weights) = try SequenceFixtures.load(run)
        let inputs = try SequenceFixtures.numbered(name, "input")
        let expected = try SequenceFixtures.numbered(name, "output")
        #expect(!expected.isEmpty)
        for (label, backend) in Self.backends() {
            let outputs = try Executor(graph: graph, weights: weights.tensors, backend: backend).run(inputs)
            if let dnnl = backend as? DNNLBackend {
                #expect(dnnl.fallbackCount == 0, "\(run): oneDNN fell back: \(dnnl.fallbackMessages.suffix(3))")
            }
            #expect(outputs.count == expected.count, "\(run) [\(label)]: \(outputs.count) outputs, Keras has \(expected.count)")
            for (i, (got, want)) in zip(outputs, expected).enumerated() {
                #expect(got.shape == want.shape, "\(run) [\(label)] output \(i): shape \(got.shape), Keras \(want.shape)")
                let (err, ok) = ExecutionFixtures.compare(got, want)
                #expect(ok, "\(run) [\(label)] output \(i): max |error| \(err) exceeds 1e-4 + 1e-3|ref|")
            }
        }
    }

    /// The analysis's model output shapes agree with the shapes of Keras's outputs (batch and
    /// open dimensions aside).
    @Test(arguments: SequenceFixtures.runs)
    func outputShapesMatchKeras(_ run: String) throws {
        let name = String(run.split(separator: "/")[0])
        let (_, analysis, _) = try SequenceFixtures.load(run)
        let expected = try SequenceFixtures.numbered(name, "output")
        #expect(analysis.outputs.count == expected.count)
        for (endpoint, want) in zip(analysis.outputs, expected) {
            // CategoryEncoding is not in the layer catalog: the analysis leaves its shapes unknown.
            if name == "category_encoding" && endpoint.shape == nil { continue }
            let dims = try #require(endpoint.shape, "\(run): no shape for output \(endpoint.layer)").dims
            // A dimension the analysis leaves open is not wrong (Keras 3 itself reports None
            // for EinsumDense's open output_shape entries); a known one must be Keras's.
            #expect(dims.count == want.shape.count && zip(dims.dropFirst(), want.shape.dropFirst()).allSatisfy { $0 == nil || $0 == $1 },
                    "\(run) output \(endpoint.layer): analysis \(dims), Keras \(want.shape)")
        }
    }

    @Test func everyFixtureFolderIsListed() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: SequenceFixtures.root.path).filter { !$0.hasPrefix(".") }
        #expect(Set(names) == Set((SequenceFixtures.cases + SequenceFixtures.refused).map(\.name) + SequenceFixtures.keras2Only))
        for c in SequenceFixtures.cases + SequenceFixtures.refused {
            #expect(FileManager.default.fileExists(atPath: SequenceFixtures.path("\(c.name)/model_keras2.h5")) == c.keras2, "\(c.name)")
        }
    }

    @Test func embeddingRejectsOutOfRangeAndFractionalIds() throws {
        let (graph, _, weights) = try SequenceFixtures.load("embedding_dense/model.keras")
        for bad: Float in [20, -1, 2.5] {
            var x = try SequenceFixtures.numbered("embedding_dense", "input")[0]
            x.data[3] = bad
            #expect {
                _ = try Executor(graph: graph, weights: weights.tensors).run([x])
            } throws: { e in
                let m = (e as? ExecutionError)?.message ?? ""
                return m.contains("\"embedding\"") && m.contains("Embedding") && m.contains("flat index 3") && m.contains("0..<20")
            }
        }
    }

    /// Refused cases: the run, and what the error must name.
    static let refusals: [(run: String, says: [String])] = [
        ("einsum_dense_inner_bias_keras3/model.keras", ["\"bias_b\"", "EinsumDense", "bias_axes \"b\"", "not runnable yet"]),
    ]

    @Test(arguments: refusals.map(\.run))
    func refusedWithAClearError(_ run: String) throws {
        let says = try #require(Self.refusals.first { $0.run == run }).says
        let (graph, _, weights) = try SequenceFixtures.load(run)
        let inputs = try SequenceFixtures.numbered(String(run.split(separator: "/")[0]), "input")
        #expect {
            _ = try Executor(graph: graph, weights: weights.tensors).run(inputs)
        } throws: { e in
            let m = (e as? ExecutionError)?.message ?? ""
            return says.allSatisfy { m.contains($0) }
        }
    }

    /// Strings reach only the layers that read them: a tensor of strings given to an
    /// Embedding stops with an error naming the layer.
    @Test func stringsIntoANumberLayerAreRefused() throws {
        let loaded = try SequenceFixtures.load("embedding_dense/model.keras")
        let ids = try SequenceFixtures.numbered("embedding_dense", "input")[0]
        let texts = Tensor(shape: ids.shape, text: ids.data.map { String(Int($0)) })
        #expect {
            _ = try Executor(graph: loaded.graph, weights: loaded.weights.tensors).run([texts])
        } throws: { e in
            let m = (e as? ExecutionError)?.message ?? ""
            return m.contains("\"embedding\" (Embedding)") && m.contains("given strings")
        }
    }

    @Test func scalarActivationsAgreeWithTensorActivations() throws {
        let xs: [Float] = stride(from: -5, through: 5, by: 0.37).map { Float($0) }
        let names = ["linear", "relu", "relu6", "sigmoid", "tanh", "elu", "selu", "softplus", "softsign", "swish", "silu",
                     "gelu", "hard_sigmoid", "hard_swish", "hard_silu", "leaky_relu", "exponential", "mish"]
        for dialect in ["keras3", "keras2"] {
            for name in names {
                let function = Activations.function(name, isKeras2: dialect == "keras2")
                let f = try #require(ScalarActivation.resolve(function), "\(name)")
                let want = try ActivationFunctions.apply(function, Tensor(shape: [xs.count], data: xs), context: "test").data
                let got = xs.map { f($0) }
                #expect(got == want, "\(name) (\(dialect))")
            }
        }
        #expect(ScalarActivation.resolve(.softmax) == nil)
    }

    /// Timing inputs for id-reading inputs are valid ids, so text models run under `strata time`.
    @Test func syntheticInputsForLookupsAreValidIds() throws {
        for name in ["transformer_block", "embedding_mask_zero_lstm", "category_encoding", "mha_self"] {
            let (graph, analysis, weights) = try SequenceFixtures.load("\(name)/model.keras")
            let ranges = IdInputs.ranges(graph)
            let raw = try ForwardProfiler.inputs(for: analysis.inputs.map(\.shape))
            let inputs = IdInputs.apply(raw, ranges: ranges)
            switch name {
            case "transformer_block": #expect(ranges == [0..<30])
            case "embedding_mask_zero_lstm": #expect(ranges == [1..<12])
            case "category_encoding": #expect(ranges == [0..<6, 0..<6])
            default: #expect(ranges == [nil]); #expect(inputs == raw)
            }
            for (x, r) in zip(inputs, ranges) {
                guard let r else { continue }
                #expect(x.data.allSatisfy { $0 == $0.rounded() && r.contains(Int($0)) }, "\(name)")
                if x.count > 2 { #expect(Set(x.data).count > 1, "\(name): ids should vary") }
            }
            _ = try Executor(graph: graph, weights: weights.tensors).run(inputs)
        }
    }

    @Test func permuteByHand() {
        // (2, 3) -> (3, 2): the transpose.
        let x = Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
        #expect(TensorLayout.permute(x, [1, 0]).data == [1, 4, 2, 5, 3, 6])
        // (1, 2, 2, 2) axes (0, 3, 1, 2): channels first.
        let y = Tensor(shape: [1, 2, 2, 2], data: [0, 1, 2, 3, 4, 5, 6, 7])
        let p = TensorLayout.permute(y, [0, 3, 1, 2])
        #expect(p.shape == [1, 2, 2, 2])
        #expect(p.data == [0, 2, 4, 6, 1, 3, 5, 7])
        #expect(TensorLayout.permute(p, TensorLayout.inverse([0, 3, 1, 2])) == y)
    }
}
