import Foundation
import Testing
import Kernels
import ModelKit
import Execution
@testable import KerasFormat

/// Spatial and preprocessing layers against Keras: each case of
/// `Fixtures/make_execution_spatial.py` (model.keras, and model_keras2.h5 where tf_keras
/// has the layers) runs with the reference backend and with oneDNN, and must match Keras's
/// output.npy within 1e-4 + 1e-3 |ref|.
enum SpatialFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/execution/spatial")

    static let cases = [
        "conv1d_causal_dilated_groups", "conv3d_same_valid_strided", "conv2d_transpose_stride2_output_padding",
        "conv1d_conv3d_transpose", "depthwise_separable_conv1d", "upsampling_nearest_bilinear",
        "cropping_zero_padding_1d_2d_3d", "pooling_1d_3d_global", "efficientnet_stem_rescaling_normalization",
        "prelu_shared_and_full", "squeeze_excite_block", "convnext_block_ops", "inception_resnet_custom_scale",
        "keras3_ops_resizing_channels_first", "channels_first_layers", "tf_keras_ops",
    ]

    /// Cases made with tf_keras only (TFOpLambda arguments): no model.keras.
    static let keras2Only: Set<String> = ["tf_keras_ops"]

    static func file(_ c: String, _ name: String) -> String {
        folder.appendingPathComponent(c).appendingPathComponent(name).path
    }

    /// input.npy, or input_0.npy, input_1.npy, ...
    static func numbered(_ c: String, _ stem: String) throws -> [Tensor] {
        if FileManager.default.fileExists(atPath: file(c, stem + ".npy")) { return [try NPY.readTensor(path: file(c, stem + ".npy"))] }
        var out: [Tensor] = []
        while FileManager.default.fileExists(atPath: file(c, "\(stem)_\(out.count).npy")) {
            out.append(try NPY.readTensor(path: file(c, "\(stem)_\(out.count).npy")))
        }
        return out
    }

    static var runs: [(String, String)] {
        cases.flatMap { c in
            ["model.keras", "model_keras2.h5"].filter { FileManager.default.fileExists(atPath: file(c, $0)) }.map { (c, $0) }
        }
    }
}

@Suite struct SpatialExecutionTests {
    @Test(arguments: SpatialFixtures.runs)
    func matchesKeras(_ c: String, _ model: String) throws {
        let p = SpatialFixtures.file(c, model)
        let graph = try ModelFileReader.read(p)
        let weights = try ModelWeights.load(path: p, analysis: Analyzer.analyze(graph))
        let inputs = try SpatialFixtures.numbered(c, "input")
        let expected = try SpatialFixtures.numbered(c, "output")
        #expect(!inputs.isEmpty && !expected.isEmpty, "\(c): no input or output files")
        for (label, backend) in [("reference", ReferenceBackend() as any ComputeBackend), ("oneDNN", DNNLBackend.preferred())] {
            let outputs = try Executor(graph: graph, weights: weights.tensors, backend: backend).run(inputs)
            #expect(outputs.count == expected.count, "\(c)/\(model) \(label): \(outputs.count) outputs, Keras has \(expected.count)")
            for (i, (got, want)) in zip(outputs, expected).enumerated() {
                #expect(got.shape == want.shape, "\(c)/\(model) \(label) output \(i): shape \(got.shape), Keras \(want.shape)")
                let (err, ok) = ExecutionFixtures.compare(got, want)
                print("SPATIAL \(c)/\(model) \(label) output \(i): max error \(err)")
                #expect(ok, "\(c)/\(model) \(label) output \(i): max |error| \(err) exceeds 1e-4 + 1e-3|ref|")
            }
            // oneDNN really ran every call it took (no silent fallback to the reference).
            if let dnnl = backend as? DNNLBackend {
                #expect(dnnl.fallbackCount == 0, "\(c)/\(model): oneDNN fell back: \(dnnl.fallbackMessages)")
            }
        }
    }

    /// Shape inference agrees with the shapes of Keras's outputs (batch aside).
    @Test(arguments: SpatialFixtures.runs)
    func analysedShapesMatchKeras(_ c: String, _ model: String) throws {
        let analysis = Analyzer.analyze(try ModelFileReader.read(SpatialFixtures.file(c, model)))
        let expected = try SpatialFixtures.numbered(c, "output").map { Array($0.shape.dropFirst()) }
        let analysed = analysis.outputs.map { e in (e.shape?.dims.dropFirst() ?? []).map { $0 ?? -1 } }
        #expect(analysed == expected, "\(c)/\(model): analysed \(analysed), Keras \(expected)")
        #expect(!analysis.diagnostics.contains { $0.severity == .error }, "\(c)/\(model): \(analysis.diagnostics.map(\.message))")
    }

    @Test func everyCaseHasItsModel() {
        for c in SpatialFixtures.cases {
            let model = SpatialFixtures.keras2Only.contains(c) ? "model_keras2.h5" : "model.keras"
            #expect(FileManager.default.fileExists(atPath: SpatialFixtures.file(c, model)), "\(c): \(model) missing")
        }
    }
}

/// Small hand-checked cases for the layout helpers the spatial layers share.
@Suite struct SpatialTensorsTests {
    @Test func broadcastSqueezeExcite() throws {
        // (1, 2, 2, 2) * (1, 1, 1, 2): each channel scaled by its own factor.
        let x = Tensor(shape: [1, 2, 2, 2], data: [1, 2, 3, 4, 5, 6, 7, 8])
        let s = Tensor(shape: [1, 1, 1, 2], data: [10, 100])
        let y = try #require(SpatialTensors.broadcast(x, s, *))
        #expect(y.data == [10, 200, 30, 400, 50, 600, 70, 800])
        let z = try #require(SpatialTensors.broadcast(Tensor(shape: [], data: [1]), x, -))
        #expect(z.data == [0, -1, -2, -3, -4, -5, -6, -7])
        #expect(SpatialTensors.broadcast(x, Tensor(shape: [3], data: [1, 2, 3]), +) == nil)
    }

    @Test func permuteChannels() {
        // (1, 2, 3) channels_last -> (1, 3, 2) channels_first and back.
        let x = Tensor(shape: [1, 2, 3], data: [1, 2, 3, 4, 5, 6])
        let f = SpatialTensors.channelsToFirst(x)
        #expect(f.shape == [1, 3, 2] && f.data == [1, 4, 2, 5, 3, 6])
        #expect(SpatialTensors.channelsToLast(f) == x)
    }

    @Test func bilinearHalfPixel() {
        // 1x1x2 image [0, 4] to width 4: source x = (o + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75,
        // 1.25 -> clamped 0, 1, 3, 4.
        let x = Tensor(shape: [1, 1, 2, 1], data: [0, 4])
        #expect(SpatialTensors.resizeBilinear(x, height: 1, width: 4).data == [0, 1, 3, 4])
    }
}
