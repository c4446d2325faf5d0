import Foundation
import Testing
import Kernels
import ModelKit
@testable import KerasFormat

/// Reference fixtures with weights (Tests/Fixtures/reference; see its README).
private enum WeightFixtures {
    static let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/reference")
    static let kerasCases = ["case_depthwise_separable", "case_multi_io", "case_nested",
                             "case_seq_with_input", "case_shared_layer", "seed_resnet8"]
    static let h5Cases = ["case_multi_io", "case_nested", "seed_resnet8"]

    static func path(_ c: String, _ file: String) -> String {
        reference.appendingPathComponent(c).appendingPathComponent(file).path
    }

    /// Reads, analyses and loads the weights of one model file.
    static func load(_ c: String, _ file: String) throws -> (ModelAnalysis, ModelWeights) {
        let p = path(c, file)
        let analysis = Analyzer.analyze(try ModelFileReader.read(p))
        return (analysis, try ModelWeights.load(path: p, analysis: analysis))
    }

    /// Every (path, row) of the analysis, nested models' layers as `outer/inner`.
    static func leafRows(_ rows: [LayerRow], prefix: String = "") -> [(String, LayerRow)] {
        rows.filter { !$0.isOperation }.flatMap { r -> [(String, LayerRow)] in
            r.children.isEmpty ? [(prefix + r.name, r)] : leafRows(r.children, prefix: prefix + r.name + "/")
        }
    }
}

@Suite struct ModelWeightsTests {
    private func checkShapes(_ analysis: ModelAnalysis, _ weights: ModelWeights, _ context: String) {
        let leaves = WeightFixtures.leafRows(analysis.rows)
        #expect(Set(weights.layerPaths) == Set(leaves.map(\.0)), "\(context)")
        var total = 0
        for (path, row) in leaves {
            let tensors = weights[path] ?? []
            #expect(tensors.map(\.shape) == row.weights.map(\.shape), "\(context): \(path)")
            for t in tensors { #expect(t.data.count == t.shape.reduce(1, *)) }
            total += tensors.reduce(0) { $0 + $1.count }
        }
        #expect(total == analysis.totals.params, "\(context)")
        #expect(weights.parameterCount == analysis.totals.params, "\(context)")
        #expect(weights.diagnostics.isEmpty, "\(context): \(weights.diagnostics)")
    }

    private func checkBatchNorm(_ analysis: ModelAnalysis, _ weights: ModelWeights, _ context: String) -> Int {
        var seen = 0
        for (path, row) in WeightFixtures.leafRows(analysis.rows) where row.className == "BatchNormalization" {
            let v = weights.tensor(path, "moving_variance")
            #expect(v != nil, "\(context): \(path)")
            if let v {
                #expect(v.data.allSatisfy { $0 > 0 }, "\(context): \(path) has a non-positive moving variance")
                seen += 1
            }
        }
        return seen
    }

    @Test(arguments: WeightFixtures.kerasCases)
    func kerasArchiveWeightsHaveTheAnalysisShapes(_ c: String) throws {
        let (analysis, weights) = try WeightFixtures.load(c, "model.keras")
        #expect(weights.layout == .keras3)
        checkShapes(analysis, weights, "\(c)/model.keras")
        _ = checkBatchNorm(analysis, weights, "\(c)/model.keras")
    }

    @Test(arguments: WeightFixtures.h5Cases)
    func keras2H5WeightsHaveTheAnalysisShapes(_ c: String) throws {
        let (analysis, weights) = try WeightFixtures.load(c, "model_keras2.h5")
        #expect(weights.layout == .keras2)
        checkShapes(analysis, weights, "\(c)/model_keras2.h5")
        _ = checkBatchNorm(analysis, weights, "\(c)/model_keras2.h5")
    }

    /// The .keras archive and the Keras 2 .h5 hold the same weights in two independent layouts
    /// written by Keras: every tensor must be equal element for element.
    @Test(arguments: WeightFixtures.h5Cases)
    func kerasAndH5HoldTheSameValues(_ c: String) throws {
        let (_, k3) = try WeightFixtures.load(c, "model.keras")
        let (_, k2) = try WeightFixtures.load(c, "model_keras2.h5")
        // Layers with weights have the same names (input layers may not: input_layer / input_1).
        func withWeights(_ w: ModelWeights) -> [String] { w.layerPaths.filter { !(w[$0] ?? []).isEmpty }.sorted() }
        #expect(withWeights(k3) == withWeights(k2))
        var compared = 0
        for path in k3.layerPaths {
            let a = k3[path] ?? [], b = k2[path] ?? []
            #expect(a.count == b.count, "\(c): \(path)")
            for (x, y) in zip(a, b) {
                #expect(x.shape == y.shape, "\(c): \(path)")
                #expect(x.data == y.data, "\(c): \(path) values differ between model.keras and model_keras2.h5")
                compared += x.count
            }
        }
        #expect(compared == k3.parameterCount && compared > 0)
    }

    @Test func batchNormStatisticsAreReadInTheirPlaces() throws {
        let (analysis, weights) = try WeightFixtures.load("seed_resnet8", "model.keras")
        #expect(checkBatchNorm(analysis, weights, "seed_resnet8") > 0)
        let (nestedAnalysis, nested) = try WeightFixtures.load("case_nested", "model_keras2.h5")
        #expect(checkBatchNorm(nestedAnalysis, nested, "case_nested") == 1)
        #expect(nested.layerPaths.contains("encoder/enc_bn"))
        // h5dump prints 1.5194 for the first moving variance of enc_bn.
        #expect(abs((nested.tensor("encoder/enc_bn", "moving_variance")?.data.first ?? 0) - 1.5194) < 1e-4)
    }

    /// A model whose Dense `shared_dense` has 5 units instead of 6, loaded with the weights of
    /// the original: the error names the file, the layer, the weight and both shapes.
    @Test func misshapedWeightIsAnErrorNamingLayerAndShapes() throws {
        let json = try String(contentsOfFile: WeightFixtures.path("case_shared_layer", "model.json"), encoding: .utf8)
        #expect(json.components(separatedBy: "\"units\": 6").count == 2)
        let changed = json.replacingOccurrences(of: "\"units\": 6", with: "\"units\": 5")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("strata-weights-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let jsonPath = dir.appendingPathComponent("model.json").path
        try changed.write(toFile: jsonPath, atomically: true, encoding: .utf8)
        let analysis = Analyzer.analyze(try ModelFileReader.read(jsonPath))
        let keras = WeightFixtures.path("case_shared_layer", "model.keras")
        do {
            _ = try ModelWeights.load(path: keras, analysis: analysis)
            Issue.record("a misshaped weight was accepted")
        } catch let e as StrataError {
            let text = e.description
            #expect(text.contains("model.keras"), "\(text)")
            #expect(text.contains("shared_dense"), "\(text)")
            #expect(text.contains("kernel"), "\(text)")
            #expect(text.contains("(8, 6)") && text.contains("(8, 5)"), "\(text)")
        }
        // The unchanged model loads.
        let original = Analyzer.analyze(try ModelFileReader.read(WeightFixtures.path("case_shared_layer", "model.json")))
        #expect(try ModelWeights.load(path: keras, analysis: original).parameterCount == 224)
    }

    /// Weights of one model against another model's analysis: missing/extra layers are errors.
    @Test func weightsOfAnotherModelAreRejected() throws {
        let analysis = Analyzer.analyze(try ModelFileReader.read(WeightFixtures.path("case_shared_layer", "model.json")))
        #expect(throws: StrataError.self) {
            _ = try ModelWeights.load(path: WeightFixtures.path("seed_resnet8", "model.keras"), analysis: analysis)
        }
        #expect(throws: StrataError.self) {
            _ = try ModelWeights.load(path: WeightFixtures.path("case_nested", "model_keras2.h5"), analysis: analysis)
        }
    }

    @Test func jsonModelHasNoWeights() throws {
        let p = WeightFixtures.path("case_shared_layer", "model.json")
        let analysis = Analyzer.analyze(try ModelFileReader.read(p))
        do {
            _ = try ModelWeights.load(path: p, analysis: analysis)
            Issue.record("a .json model gave weights")
        } catch let e as StrataError {
            #expect(e.file == p)
            #expect(e.message.contains("no weights"), "\(e)")
        }
    }

    @Test func corruptFilesAreErrorsNotCrashes() throws {
        let (analysis, _) = try WeightFixtures.load("case_shared_layer", "model.keras")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("strata-weights-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // An HDF5 signature followed by garbage, and a truncated .keras archive.
        let h5 = dir.appendingPathComponent("bad.h5")
        try Data(HDF5File.signature + [UInt8](repeating: 0x5A, count: 4096)).write(to: h5)
        #expect(throws: StrataError.self) { _ = try ModelWeights.load(path: h5.path, analysis: analysis) }
        let keras = try Data(contentsOf: URL(fileURLWithPath: WeightFixtures.path("case_shared_layer", "model.keras")))
        let cut = dir.appendingPathComponent("cut.keras")
        try keras.prefix(keras.count / 2).write(to: cut)
        #expect(throws: StrataError.self) { _ = try ModelWeights.load(path: cut.path, analysis: analysis) }
        #expect(throws: StrataError.self) {
            _ = try ModelWeights.load(path: dir.appendingPathComponent("missing.keras").path, analysis: analysis)
        }
    }

    /// A copy of case_nested's .h5 with two values of `enc_dense2`'s kernel patched to NaN and
    /// +Inf in place (the dataset's bytes found in the file): a diagnostic, not an error.
    @Test func nonFiniteValuesAreDiagnosticsNotErrors() throws {
        let source = WeightFixtures.path("case_nested", "model_keras2.h5")
        let analysis = Analyzer.analyze(try ModelFileReader.read(source))
        let clean = try ModelWeights.load(path: source, analysis: analysis)
        #expect(clean.diagnostics.isEmpty)
        let kernel = try #require(clean.tensor("encoder/enc_dense2", "kernel"))
        let pattern = kernel.data.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: source)))
        let at = try #require(Self.find(pattern, in: bytes), "the kernel is not stored contiguously")
        #expect(Self.find(pattern, in: Array(bytes[(at + 1)...])) == nil)
        for (k, v) in [(0, Float.nan), (5, Float.infinity)] {
            withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.replaceSubrange((at + 4 * k)..<(at + 4 * k + 4), with: $0) }
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("strata-weights-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let patched = dir.appendingPathComponent("nan.h5")
        try Data(bytes).write(to: patched)
        let weights = try ModelWeights.load(path: patched.path, analysis: analysis)
        #expect(weights.diagnostics.count == 1)
        let d = try #require(weights.diagnostics.first)
        #expect(d.id == "weights-not-finite")
        #expect(d.message.contains("nan.h5") && d.message.contains("encoder/enc_dense2") && d.message.contains("kernel"), "\(d.message)")
        #expect(d.message.contains("2 of 256"), "\(d.message)")
        let t = try #require(weights.tensor("encoder/enc_dense2", "kernel"))
        #expect(t.data[0].isNaN && t.data[5] == .infinity && t.data[1] == kernel.data[1])
    }

    private static func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard needle.count > 0, hay.count >= needle.count else { return nil }
        var i = 0
        while i <= hay.count - needle.count {
            if hay[i] == needle[0], Array(hay[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }
}

/// Wrappers and sub-objects (Bidirectional LSTM, MultiHeadAttention, TimeDistributed, a nested
/// Sequential) and float16/float64 weights, from Tests/Fixtures/containers.
@Suite struct ModelWeightsContainerTests {
    static let containers = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/containers")

    @Test(arguments: ["wrappers.keras", "dtypes.keras"])
    func loadsAgainstItsOwnAnalysis(_ name: String) throws {
        let p = Self.containers.appendingPathComponent(name).path
        let analysis = Analyzer.analyze(try ModelFileReader.read(p))
        let weights = try ModelWeights.load(path: p, analysis: analysis)
        #expect(weights.parameterCount == analysis.totals.params)
    }

    /// Sub-objects are paired by owner, not by shape (MHA's query, key and value kernels have
    /// the same shape; the file stores them alphabetically by group key).
    @Test func subObjectsArePairedByOwner() throws {
        let p = Self.containers.appendingPathComponent("wrappers.keras").path
        let analysis = Analyzer.analyze(try ModelFileReader.read(p))
        let index = try KerasWeightIndex(keras3: KerasArchive(path: p).weightsFile())
        let mhaRow = try #require(analysis.rows.first { $0.name == "mha" })
        let mha = WeightMatcher.keras3Order(try #require(index.layer(named: "mha")).weights, mhaRow.weights)
        #expect(mha.map(\.relativePath) == ["query_dense", "key_dense", "value_dense", "output_dense"].flatMap { ["\($0)/vars/0", "\($0)/vars/1"] })
        let bidiRow = try #require(analysis.rows.first { $0.name == "bidi" })
        let bidi = WeightMatcher.keras3Order(try #require(index.layer(named: "bidi")).weights, bidiRow.weights)
        #expect(bidi.map(\.relativePath) == ["forward_layer", "backward_layer"].flatMap { s in (0..<3).map { "\(s)/cell/vars/\($0)" } })
    }
}
