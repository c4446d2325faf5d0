import Foundation
import Testing
import Kernels
import ModelKit
@testable import KerasFormat

private enum InitFixtures {
    static let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/reference")

    static func path(_ c: String, _ file: String) -> String {
        reference.appendingPathComponent(c).appendingPathComponent(file).path
    }

    static func config(_ text: String) throws -> JSONObject {
        try #require(try JSONParser.parse(text).objectValue)
    }

    static func stats(_ data: [Float]) -> (mean: Double, variance: Double) {
        let n = Double(data.count)
        let mean = data.reduce(0.0) { $0 + Double($1) } / n
        let variance = data.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / (n - 1)
        return (mean, variance)
    }

    static func leafRows(_ rows: [LayerRow], prefix: String = "") -> [(String, LayerRow)] {
        rows.filter { !$0.isOperation }.flatMap { r -> [(String, LayerRow)] in
            r.children.isEmpty && r.className != "Functional" && r.className != "Sequential"
                ? [(prefix + r.name, r)] : leafRows(r.children, prefix: prefix + r.name + "/")
        }
    }
}

@Suite struct WeightInitializerTests {
    private func values(_ config: String, _ name: String, _ shape: [Int], seed: UInt64 = 7,
                        className: String = "Dense", layer: String = "dense") throws -> Tensor {
        try WeightInitializer(seed: seed).values(layerPath: layer, className: className,
                                                 config: try InitFixtures.config(config), weight: WeightSpec(name, shape))
    }

    @Test func sameSeedSameBytesOtherSeedOtherBytes() throws {
        let cfg = #"{"kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}}"#
        let a = try values(cfg, "kernel", [64, 32], seed: 1)
        let b = try values(cfg, "kernel", [64, 32], seed: 1)
        let c = try values(cfg, "kernel", [64, 32], seed: 2)
        #expect(a.data.map(\.bitPattern) == b.data.map(\.bitPattern))
        #expect(a.data != c.data)
        // Different layers get different streams under the same seed.
        let d = try values(cfg, "kernel", [64, 32], seed: 1, layer: "dense_1")
        #expect(a.data != d.data)
        // A configured initializer seed changes the values too.
        let seeded = try values(#"{"kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": 42}}}"#, "kernel", [64, 32], seed: 1)
        #expect(seeded.data != a.data)
    }

    @Test func wholeModelIsDeterministic() throws {
        let p = InitFixtures.path("seed_resnet8", "model.json")
        let graph = try ModelFileReader.read(p)
        let analysis = Analyzer.analyze(graph)
        let a = try ModelWeights.initialized(graph: graph, analysis: analysis, seed: 3)
        let b = try ModelWeights.initialized(graph: graph, analysis: analysis, seed: 3)
        let c = try ModelWeights.initialized(graph: graph, analysis: analysis, seed: 4)
        #expect(a.layerPaths == b.layerPaths)
        for path in a.layerPaths {
            #expect(a[path]!.map { $0.data.map(\.bitPattern) } == b[path]!.map { $0.data.map(\.bitPattern) }, "\(path)")
        }
        let kernels = a.layerPaths.filter { a.tensor($0, "kernel") != nil }
        #expect(!kernels.isEmpty)
        #expect(kernels.contains { a.tensor($0, "kernel")!.data != c.tensor($0, "kernel")!.data })
    }

    @Test func zerosOnesConstantExact() throws {
        let z = try values(#"{"bias_initializer": {"class_name": "Zeros", "config": {}}}"#, "bias", [10])
        #expect(z.data == [Float](repeating: 0, count: 10))
        let o = try values(#"{"kernel_initializer": "ones"}"#, "kernel", [3, 4])
        #expect(o.data == [Float](repeating: 1, count: 12))
        let k = try values(#"{"kernel_initializer": {"class_name": "Constant", "config": {"value": 0.25}}}"#, "kernel", [2, 3])
        #expect(k.data == [Float](repeating: 0.25, count: 6))
        // Keras defaults without a configured initializer.
        #expect(try values("{}", "bias", [4]).data == [0, 0, 0, 0])
        #expect(try values("{}", "gamma", [4], className: "BatchNormalization").data == [1, 1, 1, 1])
        #expect(try values("{}", "moving_variance", [4], className: "BatchNormalization").data == [1, 1, 1, 1])
        #expect(try values("{}", "moving_mean", [4], className: "BatchNormalization").data == [0, 0, 0, 0])
        let identity = try values(#"{"kernel_initializer": {"class_name": "Identity", "config": {"gain": 2.0}}}"#, "kernel", [2, 3])
        #expect(identity.data == [2, 0, 0, 0, 2, 0])
    }

    @Test func glorotUniformBoundsAndVariance() throws {
        let t = try values(#"{"kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}}"#, "kernel", [256, 128])
        let limit = (6.0 / Double(256 + 128)).squareRoot()
        #expect(t.data.allSatisfy { abs(Double($0)) <= limit * (1 + 1e-6) })  // float rounding
        let (mean, variance) = InitFixtures.stats(t.data)
        #expect(abs(mean) < 0.01 * limit)
        let expected = limit * limit / 3
        #expect(abs(variance - expected) / expected < 0.05, "variance \(variance), expected \(expected)")
        // The Keras 2 string form is the same initializer.
        let k2 = try values(#"{"kernel_initializer": "glorot_uniform"}"#, "kernel", [256, 128])
        #expect(k2.data == t.data)
        // Default for a kernel without a configured initializer.
        #expect(try values("{}", "kernel", [256, 128]).data == t.data)
    }

    @Test func heNormalIsTruncatedWithKerasStddev() throws {
        let shape = [3, 3, 64, 128]
        let t = try values(#"{"kernel_initializer": {"class_name": "HeNormal", "config": {"seed": null}}}"#, "kernel", shape, className: "Conv2D")
        let fanIn = 3.0 * 3 * 64
        // Keras: truncated normal at ±2σ with σ = sqrt(2 / fan_in) / 0.8796…, whose std is sqrt(2 / fan_in).
        let sigma = (2.0 / fanIn).squareRoot() / 0.87962566103423978
        #expect(t.data.allSatisfy { abs(Double($0)) <= 2 * sigma * 1.000001 })
        let (_, variance) = InitFixtures.stats(t.data)
        let expectedStd = (2.0 / fanIn).squareRoot()
        #expect(abs(variance.squareRoot() - expectedStd) / expectedStd < 0.05, "std \(variance.squareRoot()), expected \(expectedStd)")
    }

    @Test func otherDistributions() throws {
        let u = try values(#"{"kernel_initializer": {"class_name": "RandomUniform", "config": {"minval": 1.0, "maxval": 3.0}}}"#, "kernel", [100, 100])
        #expect(u.data.allSatisfy { $0 >= 1 && $0 <= 3 })
        #expect(abs(InitFixtures.stats(u.data).mean - 2) < 0.02)
        let n = try values(#"{"kernel_initializer": {"class_name": "RandomNormal", "config": {"mean": 5.0, "stddev": 0.5}}}"#, "kernel", [100, 100])
        let ns = InitFixtures.stats(n.data)
        #expect(abs(ns.mean - 5) < 0.02 && abs(ns.variance.squareRoot() - 0.5) < 0.025)
        let tn = try values(#"{"kernel_initializer": {"class_name": "TruncatedNormal", "config": {"mean": 0.0, "stddev": 1.0}}}"#, "kernel", [100, 100])
        #expect(tn.data.allSatisfy { abs($0) <= 2 })
        let vs = try values(#"{"kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 3.0, "mode": "fan_out", "distribution": "untruncated_normal"}}}"#, "kernel", [50, 300])
        let expected = (3.0 / 300).squareRoot()
        #expect(abs(InitFixtures.stats(vs.data).variance.squareRoot() - expected) / expected < 0.05)
    }

    @Test func orthogonalIsOrthonormal() throws {
        for shape in [[6, 24], [24, 6], [2, 3, 8]] {
            let t = try values(#"{"recurrent_initializer": {"class_name": "Orthogonal", "config": {"gain": 1.0}}}"#, "recurrent_kernel", shape, className: "LSTM")
            let cols = shape.last!, rows = t.count / cols
            // The smaller side's vectors are orthonormal.
            let byRows = rows <= cols
            let count = min(rows, cols), length = max(rows, cols)
            func v(_ k: Int, _ i: Int) -> Double { Double(byRows ? t.data[k * cols + i] : t.data[i * cols + k]) }
            for a in 0..<count {
                for b in 0..<count {
                    let dot = (0..<length).reduce(0.0) { $0 + v(a, $1) * v(b, $1) }
                    #expect(abs(dot - (a == b ? 1 : 0)) < 1e-5, "\(shape) \(a)·\(b) = \(dot)")
                }
            }
        }
    }

    @Test func lstmForgetGateBiasStartsAtOne() throws {
        let t = try values(#"{"unit_forget_bias": true, "bias_initializer": {"class_name": "Zeros", "config": {}}}"#, "lstm_cell/bias", [8], className: "LSTM")
        #expect(t.data == [0, 0, 1, 1, 0, 0, 0, 0])
    }

    @Test func fansAsKerasComputesThem() {
        #expect(InitializerSpec.fans([3, 3, 16, 32]) == (144, 288))
        #expect(InitializerSpec.fans([5, 16, 32]) == (80, 160))
        #expect(InitializerSpec.fans([256, 128]) == (256, 128))
        #expect(InitializerSpec.fans([7]) == (7, 7))
        #expect(InitializerSpec.fans([]) == (1, 1))
        // A conv kernel's glorot limit uses the receptive field: sqrt(6 / (144 + 288)).
        let limit = (6.0 / (144.0 + 288.0)).squareRoot()
        let t = try? values(#"{"kernel_initializer": "glorot_uniform"}"#, "kernel", [3, 3, 16, 32], className: "Conv2D")
        #expect(t?.data.allSatisfy { abs(Double($0)) <= limit * (1 + 1e-6) } == true)
        #expect((t?.data.max()).map { Double($0) > 0.95 * limit } == true)
    }

    @Test(arguments: ["seed_resnet8/model.json", "seed_resnet8/model_keras2.json", "case_nested/model.json", "case_nested/model_keras2.json",
                      "case_shared_layer/model.json", "case_depthwise_separable/model.json"])
    func modelInitialisesEveryWeight(_ file: String) throws {
        let parts = file.split(separator: "/").map(String.init)
        let p = InitFixtures.path(parts[0], parts[1])
        let graph = try ModelFileReader.read(p)
        let analysis = Analyzer.analyze(graph)
        let weights = try ModelWeights.initialized(graph: graph, analysis: analysis, seed: 0)
        let leaves = InitFixtures.leafRows(analysis.rows)
        #expect(weights.layerPaths == leaves.map(\.0))
        #expect(weights.layout == nil)
        for (path, row) in leaves {
            #expect(weights[path]?.map(\.shape) == row.weights.map(\.shape), "\(file): \(path)")
            #expect(weights[path]?.allSatisfy { $0.data.allSatisfy(\.isFinite) } == true)
        }
        #expect(weights.parameterCount == analysis.totals.params)
        var bn = 0
        for (path, row) in leaves where row.className == "BatchNormalization" {
            #expect(weights.tensor(path, "moving_variance")?.data.allSatisfy { $0 == 1 } == true, "\(file): \(path)")
            #expect(weights.tensor(path, "moving_mean")?.data.allSatisfy { $0 == 0 } == true, "\(file): \(path)")
            bn += 1
        }
        if parts[0] == "seed_resnet8" { #expect(bn > 0) }
        // Same structure as the weights stored in the .keras archive of the same model.
        let stored = try ModelWeights.load(path: InitFixtures.path(parts[0], "model.keras"), analysis: analysis)
        #expect(stored.layerPaths == weights.layerPaths)
        for path in stored.layerPaths { #expect(stored[path]?.map(\.shape) == weights[path]?.map(\.shape), "\(file): \(path)") }
    }

    @Test func unknownInitializerNamesLayerWeightAndClass() throws {
        do {
            _ = try values(#"{"kernel_initializer": {"class_name": "FancyInit", "config": {}}}"#, "kernel", [2, 2], layer: "outer/dense_3")
            Issue.record("expected an error")
        } catch let e as StrataError {
            let text = String(describing: e)
            #expect(text.contains("outer/dense_3") && text.contains("kernel") && text.contains("FancyInit"), "\(text)")
        }
        // Through a whole model file.
        let text = try String(contentsOfFile: InitFixtures.path("seed_resnet8", "model.json"), encoding: .utf8)
        let range = try #require(text.range(of: "\"HeNormal\""))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("strata-init-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = dir.appendingPathComponent("model.json").path
        try text.replacingCharacters(in: range, with: "\"NoSuchInitializer\"").write(toFile: p, atomically: true, encoding: .utf8)
        let graph = try ModelFileReader.read(p)
        do {
            _ = try ModelWeights.initialized(graph: graph, analysis: Analyzer.analyze(graph), seed: 0)
            Issue.record("expected an error")
        } catch let e as StrataError {
            let message = String(describing: e)
            #expect(message.contains("NoSuchInitializer") && message.contains("kernel") && message.contains("layer \""), "\(message)")
        }
    }
}
