import Foundation
import Testing
import Kernels
import ModelKit
import Execution
@testable import KerasFormat

/// Which catalog classes the forward pass runs, and how that is known: every class either
/// appears in a Keras-made execution fixture (a model with weights and Keras's own outputs,
/// which the execution suites compare with ours), or is on the list below of classes that
/// are refused, each with the reason. A class that starts to run without a fixture, or a
/// fixture that loses a class, fails here.
@Suite struct ExecutionCoverageTests {
    /// Folders whose cases hold a model with weights and Keras's outputs.
    static let executionFolders = ["reference", "plan", "execution/sequence", "execution/spatial", "execution/core",
                                   "execution/masks", "execution/conv_lstm", "execution/augmentation", "execution/preprocessing",
                                   "execution/classes", "execution/text"]

    /// Catalog classes the forward pass refuses, with why (the catalog's own list).
    static let refused: [String: String] = LayerCatalog.notRun

    /// The layers fixtures (configs, seeded weights) that hold the refused classes.
    static let refusedFixtures = ["layers/random_augmentation/model.json", "layers/random_augmentation/model_keras2.json"]

    /// Every refused class is refused by name: a model holding one, given seeded weights,
    /// stops with an error naming a layer of a refused class, never a crash or a result.
    @Test(arguments: refusedFixtures)
    func refusedClassesStopWithTheirName(_ file: String) throws {
        let graph = try ModelFileReader.read(Fixtures.path(file))
        let analysis = Analyzer.analyze(graph)
        let weights = try ModelWeights.initialized(graph: graph, analysis: analysis, seed: 1)
        let shapes = graph.inputs.map { ref in analysis.rows.first { $0.name == graph.layers[ref.layer].name }?.outputShapes.first ?? nil }
        let inputs = try ForwardProfiler.inputs(for: shapes)
        let refusedNames = Self.classes(graph).filter { Self.refused[$0] != nil }
        #expect(!refusedNames.isEmpty)
        do {
            _ = try Executor(graph: graph, weights: weights.tensors).run(inputs)
            Issue.record("\(file) ran although it holds \(refusedNames.sorted())")
        } catch let e as ExecutionError {
            let named = refusedNames.first { e.message.contains("(\($0))") }
            #expect(named != nil, "\(file): \(e.message)")
            if let named, let reason = Self.refused[named] { #expect(e.message.contains(reason), "\(file): \(e.message)") }
        }
    }

    /// Class names of every layer (nested models opened) of the models with Keras outputs.
    static func classesWithKerasOutputs() throws -> Set<String> {
        var found = Set<String>()
        let fm = FileManager.default
        for folder in executionFolders {
            let dir = Fixtures.root.appendingPathComponent(folder)
            for c in (try? fm.contentsOfDirectory(atPath: dir.path)) ?? [] {
                let d = dir.appendingPathComponent(c)
                let files = (try? fm.contentsOfDirectory(atPath: d.path)) ?? []
                guard files.contains(where: { $0.hasPrefix("output") && $0.hasSuffix(".npy") }) else { continue }
                for model in files where model.hasSuffix(".keras") || model.hasSuffix(".h5") {
                    // Only models the forward pass runs: a refused one proves nothing.
                    let path = d.appendingPathComponent(model).path
                    let graph = try ModelFileReader.read(path)
                    let weights = try ModelWeights.load(path: path, analysis: Analyzer.analyze(graph))
                    guard (try? Executor(graph: graph, weights: weights.tensors).run(try numbered(d.path, "input"))) != nil else { continue }
                    found.formUnion(classes(graph))
                }
            }
        }
        return found
    }

    static func classes(_ g: ModelGraph) -> Set<String> {
        var s = Set<String>()
        for l in g.layers {
            s.insert(l.className)
            if let n = l.kind as? SubgraphOp { s.formUnion(classes(n.graph)) }
        }
        return s
    }

    @Test func everyCatalogClassRunsAgainstKerasOrIsRefusedWithAReason() throws {
        let found = try Self.classesWithKerasOutputs()
        var uncovered: [String] = []
        var refusedButRun: [String] = []
        for kind in LayerCatalog.classes {
            let names = [kind.className] + kind.aliases
            let covered = names.contains { found.contains($0) }
            if covered, Self.refused[kind.className] != nil { refusedButRun.append(kind.className) }
            if !covered, Self.refused[kind.className] == nil { uncovered.append(kind.className) }
        }
        #expect(uncovered.sorted() == [], "catalog classes with neither a Keras-made execution fixture nor a reason to refuse them")
        #expect(refusedButRun.sorted() == [], "classes listed as refused that run against Keras's outputs")
    }

    /// Every model file with Keras outputs, as (folder of the case, file name).
    static func runs() -> [String] {
        let fm = FileManager.default
        var out: [String] = []
        for folder in executionFolders {
            let dir = Fixtures.root.appendingPathComponent(folder)
            for c in ((try? fm.contentsOfDirectory(atPath: dir.path)) ?? []).sorted() {
                let files = (try? fm.contentsOfDirectory(atPath: dir.appendingPathComponent(c).path)) ?? []
                guard files.contains(where: { $0.hasPrefix("output") && $0.hasSuffix(".npy") }) else { continue }
                for f in files.sorted() where f.hasSuffix(".keras") || f.hasSuffix(".h5") { out.append("\(folder)/\(c)/\(f)") }
            }
        }
        return out
    }

    static func numbered(_ dir: String, _ stem: String) throws -> [Tensor] {
        let single = dir + "/" + stem + ".npy"
        if FileManager.default.fileExists(atPath: single) { return [try NPY.readTensor(path: single)] }
        var out: [Tensor] = []
        while FileManager.default.fileExists(atPath: "\(dir)/\(stem)_\(out.count).npy") {
            out.append(try NPY.readTensor(path: "\(dir)/\(stem)_\(out.count).npy"))
        }
        return out
    }

    /// What users run (`strata time`, `predict`, the batch): the execution plan on oneDNN, on
    /// every fixture with Keras outputs that the reference interpreter runs, equals Keras
    /// within atol 1e-4 + rtol 1e-3. Cases the interpreter refuses are refused by name in
    /// their own suites.
    @Test(arguments: runs())
    func executionPlanMatchesKeras(_ run: String) throws {
        let path = Fixtures.path(run)
        let dir = (path as NSString).deletingLastPathComponent
        let graph = try ModelFileReader.read(path)
        let weights = try ModelWeights.load(path: path, analysis: Analyzer.analyze(graph))
        let inputs = try Self.numbered(dir, "input")
        let expected = try Self.numbered(dir, "output")
        guard (try? Executor(graph: graph, weights: weights.tensors, backend: ReferenceBackend()).run(inputs)) != nil else { return }
        guard let dnnl = DNNLBackend.preferred() as? DNNLBackend else { return }
        let outputs: [Tensor]
        do {
            let plan = try ExecutionPlan.build(graph: graph, weights: weights.tensors, inputShapes: inputs.map(\.shape), backend: dnnl,
                                               memoryLimit: 1 << 30)
            outputs = try plan.run(inputs)
        } catch is ExecutionPlan.Unplannable {
            outputs = try Executor(graph: graph, weights: weights.tensors, backend: dnnl).run(inputs)
        }
        #expect(outputs.count == expected.count, "\(run): \(outputs.count) outputs, Keras has \(expected.count)")
        for (i, (got, want)) in zip(outputs, expected).enumerated() {
            let (err, ok) = ExecutionFixtures.compare(got, want)
            #expect(ok, "\(run) output \(i): shape \(got.shape) vs \(want.shape), largest error \(err)")
        }
    }
}
