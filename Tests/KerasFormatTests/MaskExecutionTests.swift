import Foundation
import Testing
import Kernels
import ModelKit
import Execution
@testable import KerasFormat

/// Padding masks, the convolutional recurrent layers and the random augmentation layers
/// (the identity at inference) against Keras (Tests/Fixtures/execution/masks, conv_lstm and
/// augmentation and preprocessing, made by make_execution_masks.py and make_execution_preprocessing.py
/// with real Keras): each case's outputs on inputs whose padding changes the result (the
/// script checked that the same model without its mask gives other outputs), Keras's counts
/// and shapes, and which layers' outputs carry a mask (`truth.json`).
enum MaskFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/execution")

    /// `masks/<case>` and `conv_lstm/<case>` folders that hold a model and Keras's outputs.
    static var cases: [String] {
        ["masks", "conv_lstm", "augmentation", "preprocessing", "classes", "text"].flatMap { folder -> [String] in
            let dir = root.appendingPathComponent(folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            return names.sorted().filter { FileManager.default.fileExists(atPath: dir.appendingPathComponent("\($0)/model.keras").path) }
                .map { "\(folder)/\($0)" }
        }
    }

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func numbered(_ c: String, _ stem: String) throws -> [Tensor] { try ExecutionCoverageTests.numbered(path(c), stem) }

    static func truth(_ c: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path("\(c)/truth.json")))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}

@Suite struct MaskExecutionTests {
    @Test func theFixturesArePresent() {
        let cases = MaskFixtures.cases
        #expect(cases.filter { $0.hasPrefix("masks/") }.count >= 8, "\(cases)")
        #expect(cases.filter { $0.hasPrefix("conv_lstm/") }.count >= 3, "\(cases)")
    }

    /// Both engines' outputs against Keras's (the execution plan declines a model whose
    /// masks flow, so `makeRunner`'s choice is the interpreter on oneDNN).
    /// Each case's Keras 3 file and, where tf.keras has the layers, its Keras 2 file (whose
    /// outputs the generator checked equal to Keras 3's).
    static var runs: [String] {
        MaskFixtures.cases.flatMap { c in
            ["\(c)/model.keras"] + (FileManager.default.fileExists(atPath: MaskFixtures.path("\(c)/model_keras2.h5")) ? ["\(c)/model_keras2.h5"] : [])
        }
    }

    @Test(arguments: runs)
    func matchesKeras(_ run: String) throws {
        let c = String(run[..<run.lastIndex(of: "/")!])
        let file = MaskFixtures.path(run)
        let graph = try ModelFileReader.read(file)
        let analysis = Analyzer.analyze(graph)
        let weights = try ModelWeights.load(path: file, analysis: analysis)
        let inputs = try MaskFixtures.numbered(c, "input")
        let expected = try MaskFixtures.numbered(c, "output")
        #expect(!expected.isEmpty)
        for backend in [ReferenceBackend(), DNNLBackend.preferred()] as [any ComputeBackend] {
            let outputs = try Executor(graph: graph, weights: weights.tensors, backend: backend).run(inputs)
            #expect(outputs.count == expected.count, "\(c)")
            for (i, (got, want)) in zip(outputs, expected).enumerated() {
                #expect(got.shape == want.shape, "\(c) output \(i): \(got.shape) vs Keras \(want.shape)")
                guard got.shape == want.shape else { continue }
                if want.text != nil || got.text != nil {
                    #expect(got.text == want.text, "\(c) output \(i): strings \(got.text ?? []) vs Keras \(want.text ?? [])")
                    continue
                }
                let err = zip(got.data, want.data).map { abs($0 - $1) }.max() ?? 0
                let scale = max(1, want.data.map(abs).max() ?? 1)
                #expect(err <= 1e-4 * scale, "\(c) output \(i): max abs error \(err)")
            }
        }
        if graph.makesMasks {
            #expect(throws: ExecutionPlan.Unplannable.self) {
                _ = try ExecutionPlan.build(graph: graph, weights: weights.tensors, inputShapes: inputs.map(\.shape),
                                            backend: DNNLBackend.preferred() as! DNNLBackend)
            }
        }
    }

    /// Keras's shapes (its declared ones: a TextVectorization encoding a `(batch, 1)` input is
    /// declared `(batch, 1, depth)`), counts and which layers' outputs carry a mask.
    @Test(arguments: MaskFixtures.cases)
    func analysisMatchesKeras(_ c: String) throws {
        let truth = try MaskFixtures.truth(c)
        let analysis = Analyzer.analyze(try ModelFileReader.read(MaskFixtures.path("\(c)/model.keras")))
        let totals = try #require(truth["totals"] as? [String: Int])
        #expect(analysis.totals.params == totals["params"] && analysis.totals.trainableParams == totals["trainable_params"]
                && analysis.totals.nonTrainableParams == totals["non_trainable_params"], "\(c): \(analysis.totals)")
        let layers = try #require(truth["layers"] as? [[String: Any]])
        for t in layers {
            let name = try #require(t["name"] as? String)
            guard let row = analysis.rows.first(where: { $0.name == name }) else { Issue.record("\(c): no row \(name)"); continue }
            #expect(row.params == t["params"] as? Int, "\(c) \(name) params")
            if let recorded = t["output_shape"] as? [Any] {
                // A layer with several outputs records a list of shapes: the first is compared.
                let shape = recorded.first as? [Any] ?? recorded
                let dims = shape.map { $0 as? Int }
                #expect(row.outputShapes.first == TensorShape(dims), "\(c) \(name): shape \(row.outputShapes.first.map { "\($0)" } ?? "none"), Keras \(dims)")
            }
            if let mask = t["mask"] as? Bool { #expect(row.mask == mask, "\(c) \(name): mask \(row.mask), Keras \(mask)") }
        }
    }
}
