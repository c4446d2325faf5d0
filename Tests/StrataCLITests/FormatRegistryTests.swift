import Foundation
import Testing
import ModelKit
@testable import StrataCLI

/// A made-up format for the registry tests: files ending `.toy` whose first bytes are
/// `TOYMODEL`; anything else with that extension is "not a toy model". Opening one gives a
/// one-input graph.
private struct ToyFormat: ModelFormat {
    var id: String { "toy" }
    var displayName: String { "Toy" }
    var fileExtensions: [String] { ["toy"] }

    func sniff(path: String, head: [UInt8]) -> FormatSniff {
        if head.starts(with: Array("TOYMODEL".utf8)) { return .model }
        return path.hasSuffix(".toy") ? .notModel("a .toy file without the TOYMODEL signature") : .notMine
    }

    func open(path: String) throws -> any OpenedModel {
        let input = Layer(name: "in", className: "ToyInput", kind: InputOp(shape: TensorShape([nil, 2])), calls: [[]])
        let graph = ModelGraph(name: "toy", className: "Toy", layers: [input], inputs: [TensorRef(layer: 0, call: 0, tensor: 0)],
                               outputs: [TensorRef(layer: 0, call: 0, tensor: 0)], executionOrder: [NodeID(layer: 0, call: 0)],
                               source: SourceInfo(file: path, format: "toy", dialect: "toy"))
        return ToyModel(path: path, graph: graph)
    }
}

private struct ToyModel: OpenedModel {
    var path: String
    var graph: ModelGraph
    var holdsWeights: Bool { false }
    func weights(analysis: ModelAnalysis, seed: UInt64) throws -> WeightSet { WeightSet(tensors: [:], seeded: true) }
}

@Suite struct FormatRegistryTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/reference")

    func folder() throws -> String {
        let root = NSTemporaryDirectory() + "strata-registry-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root + "/models", withIntermediateDirectories: true)
        try Data("TOYMODEL v1".utf8).write(to: URL(fileURLWithPath: root + "/models/a.toy"))
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: root + "/models/b.toy"))
        try FileManager.default.copyItem(atPath: Self.fixtures.appendingPathComponent("seed_resnet8/model.keras").path, toPath: root + "/models/seed.keras")
        try FileManager.default.copyItem(atPath: Self.fixtures.appendingPathComponent("case_nested/model.json").path, toPath: root + "/models/nested.json")
        try Data(#"{"labels": ["cat", "dog"]}"#.utf8).write(to: URL(fileURLWithPath: root + "/models/labels.json"))
        return root
    }

    @Test func aSecondFormatIsOneLineAndDiscoveryAsksIt() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let registry = FormatRegistry(formats: FormatRegistry.standard.formats + [ToyFormat()])
        #expect(registry.extensions == ["json", "keras", "h5", "hdf5", "onnx", "toy"])
        #expect(registry.sniff(root + "/models/a.toy").format?.id == "toy")
        #expect(registry.whyNotModel(root + "/models/a.toy") == nil)
        #expect(registry.whyNotModel(root + "/models/b.toy") == "a .toy file without the TOYMODEL signature")
        // The Keras reader still claims Keras files.
        #expect(registry.sniff(root + "/models/seed.keras").format?.id == "keras")
        #expect(registry.sniff(root + "/models/nested.json").format?.id == "keras")
        #expect(registry.whyNotModel(root + "/models/labels.json")?.contains("lack the keys class_name and config") == true)
        // Without the toy format, a .toy file is not read at all, and the message lists what is.
        #expect(FormatRegistry.standard.whyNotModel(root + "/models/a.toy")
                == "a .toy file, not a model: Strata reads .json, .keras, .h5, .hdf5 and .onnx files")
        // Opening goes through the format the content names.
        let toy = try registry.open(root + "/models/a.toy")
        #expect(toy.graph.name == "toy" && !toy.holdsWeights)
        let keras = try registry.open(root + "/models/seed.keras")
        #expect(keras.graph.source.conventions.formatName == "Keras" && keras.holdsWeights)
    }

    @Test func openingOnceGivesTheGraphAndTheWeightsOfTheSameFile() throws {
        let model = try FormatRegistry.standard.open(Self.fixtures.appendingPathComponent("seed_resnet8/model.keras").path)
        let analysis = Analyzer.analyze(model.graph)
        let weights = try model.weights(analysis: analysis, seed: 0)
        // Keras's count for the seed model: 78,666 parameters, every one read from the file.
        #expect(!weights.seeded)
        #expect(weights.parameterCount == 78_666)
        #expect(analysis.totals.params == 78_666)
        // A JSON config holds none: they are initialised from the seed, the same each time.
        let json = try FormatRegistry.standard.open(Self.fixtures.appendingPathComponent("seed_resnet8/model.json").path)
        let a = try json.weights(analysis: Analyzer.analyze(json.graph), seed: 0)
        let b = try json.weights(analysis: Analyzer.analyze(json.graph), seed: 0)
        #expect(a.seeded && a.parameterCount == 78_666)
        #expect(a.tensors["conv2d"]?.first?.data == b.tensors["conv2d"]?.first?.data)
    }

    @Test func aFileNoFormatReadsIsReportedByTheReaderOfItsExtension() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Data("hello".utf8).write(to: URL(fileURLWithPath: root + "/bad.keras"))
        #expect(throws: StrataError.self) { try FormatRegistry.standard.open(root + "/bad.keras") }
        do { _ = try FormatRegistry.standard.open(root + "/bad.keras") } catch let e as StrataError {
            #expect(e.description.contains("not a .keras archive"), "\(e)")
        }
    }
}
