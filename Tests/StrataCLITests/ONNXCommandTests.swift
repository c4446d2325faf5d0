import Foundation
import Testing
import Tensors
@testable import StrataCLI

/// ONNX files through the command line: summary with symbolic sizes, `--input-shape` with
/// full and named shapes, `--dim`, `strata layers`, and errors with their exit codes.
@Suite struct ONNXCommandTests: CLISuite {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/onnx")
    static func path(_ relative: String) -> String { fixtures.appendingPathComponent(relative).path }

    @Test func summaryKeepsSymbolicSizesAndSaysNodes() {
        let r = run(["summary", Self.path("var_symbolic_batch/model.onnx")])
        #expect(r.code == 0)
        #expect(r.out.contains("(N, 8, 32, 32)"))
        #expect(r.out.contains("How many nodes?"))
        #expect(r.out.contains("Total params:         1,546"))
    }

    @Test func inputShapesFullNamedAndBound() throws {
        let file = Self.path("var_symbolic_batch/model.onnx")
        // conv1: 8 output channels of 3 × 3 × 3 products over 32 × 32 positions, plus a bias
        // add each: (27 + 1) × 8 × 32 × 32 = 229,376 per image; 4 images with N bound to 4.
        let bound = run(["summary", file, "--dim", "N=4", "--json"])
        #expect(bound.code == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(bound.out.utf8)) as? [String: Any])
        let rows = try #require(json["layers"] as? [[String: Any]])
        #expect(rows.first?["macs"] as? Int == 4 * 229_376)
        #expect(run(["summary", file, "--input-shape", "x=2,3,32,32"]).out.contains("(2, 8, 32, 32)"))
        #expect(run(["summary", file, "--input-shape", "3,32,32"]).code == 0, "without the batch, as for Keras")
        // A wrong name, a size that contradicts the file, a malformed --dim: usage errors naming what is wrong.
        let wrongName = run(["summary", file, "--input-shape", "y=2,3,32,32"])
        #expect(wrongName.code == 2 && wrongName.err.contains("the model's inputs are \"x\""))
        let contradiction = run(["summary", file, "--input-shape", "2,4,32,32"])
        #expect(contradiction.code == 2 && contradiction.err.contains("declares 3 on axis 1"))
        #expect(run(["summary", file, "--dim", "N"]).code == 2)
    }

    @Test func layersListsTheOnnxOps() {
        let r = run(["layers", "--format", "onnx"])
        #expect(r.code == 0)
        #expect(r.out.contains("ONNX op types"))
        for op in ["Conv", "Gemm", "Reshape", "If", "Loop", "QLinearConv", "SkipLayerNormalization"] { #expect(r.out.contains(" \(op)")) }
        #expect(run(["layers", "--format", "tflite"]).code == 2)
    }

    @Test func damagedFilesExitOneNamingTheFile() {
        for bad in ["bad/truncated.onnx", "bad/cycle.onnx", "bad/ext_traversal/model.onnx"] {
            let r = run(["summary", Self.path(bad)])
            #expect(r.code == 1)
            #expect(r.err.contains(bad.split(separator: "/").last!))
        }
    }

    /// `predict` on ONNX: outputs in graph order with the graph's dtypes (TopK's values as
    /// float32, its indices as int64, as ONNX Runtime wrote them); a tf2onnx export gives
    /// Keras's own output; an unsupported node is refused by name with exit 1.
    @Test func predictWritesTheGraphsOutputsAndDtypes() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("strata-onnx-predict-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = run(["predict", Self.path("ops/topk_largest/model.onnx"), "--input", Self.path("ops/topk_largest/input_0.npy"),
                     "--output-dir", out.path])
        #expect(r.code == 0, "\(r.err)")
        for i in 0..<2 {
            let got = try Data(contentsOf: out.appendingPathComponent("output_\(i).npy"))
            let want = try Data(contentsOf: URL(fileURLWithPath: Self.path("ops/topk_largest/output_\(i).npy")))
            // Same header (dtype, shape) and the same bytes: the indices are exact.
            #expect(got == want, "output \(i) differs from ONNX Runtime's file")
        }
        // The seed ResNet-8 as tf2onnx exported it, on Keras's own input, against Keras's output.
        let k = run(["predict", Self.path("keras_seed_resnet8/model.onnx"), "--input", Self.path("keras_seed_resnet8/keras_input_0.npy"),
                     "--output", out.appendingPathComponent("keras.npy").path])
        #expect(k.code == 0, "\(k.err)")
        let got = try NPY.read(path: out.appendingPathComponent("keras.npy").path).toTensor()
        let want = try NPY.read(path: Self.path("keras_seed_resnet8/keras_output_0.npy")).toTensor()
        #expect(got.shape == want.shape)
        let scale = want.data.map { abs($0) }.max() ?? 0
        for (g, w) in zip(got.data, want.data) { #expect(abs(g - w) <= 1e-3 * abs(w) + 1e-4 * scale) }
        // QONNX's Quant nodes run nowhere but QONNX: refused by name, op type, domain and opset.
        let q = run(["predict", Self.path("real/qonnx_espcn_quant/model.onnx"), "--input", Self.path("ops/topk_largest/input_0.npy"),
                     "--output-dir", out.path])
        #expect(q.code == 1)
        #expect(q.err.contains("(Quant, domain onnx.brevitas, opset"), "\(q.err)")
    }
}
