import Foundation
import Testing
import History
import KerasFormat
import ModelKit
@testable import StrataCLI

/// The batch's forward pass, in-process: timed models carry the same timing object as
/// `strata time --json`, the index and the history get the medians, models that cannot run
/// are still reported with the reason, the trend grows run by run, and a latency rise beyond
/// the threshold is a regression. Never asserts how fast anything is.
@Suite(.serialized) struct BatchTimingTests: CLISuite {
    static let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/reference")

    /// A Keras 2 Sequential with a Lambda: analysed, but the forward pass cannot run it.
    static let lambda = #"""
    {"class_name": "Sequential", "keras_version": "2.21.0", "config": {"name": "s", "layers": [
      {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4], "name": "in"}},
      {"class_name": "Lambda", "config": {"name": "double_it", "function": ["4wEAAAAAAAAA", null, null], "function_type": "lambda", "output_shape": [4]}},
      {"class_name": "Dense", "config": {"name": "out", "units": 2}}]}}
    """#

    /// A Keras 2 Sequential whose input leaves its length open.
    static let open = #"""
    {"class_name": "Sequential", "keras_version": "2.21.0", "config": {"name": "o", "layers": [
      {"class_name": "InputLayer", "config": {"batch_input_shape": [null, null, 3], "name": "in"}},
      {"class_name": "Dense", "config": {"name": "out", "units": 2}}]}}
    """#

    /// models/: the seed model with weights, the nested model (a config: seeded weights),
    /// the Lambda model and the open-input model; plus a config with few runs.
    static func setUp() throws -> (models: String, out: String, config: String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("strata-batch-timing-\(UUID().uuidString)").path
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/models", withIntermediateDirectories: true)
        try fm.copyItem(atPath: reference.appendingPathComponent("seed_resnet8/model.keras").path, toPath: root + "/models/resnet8.keras")
        try fm.copyItem(atPath: reference.appendingPathComponent("case_nested/model.json").path, toPath: root + "/models/nested.json")
        fm.createFile(atPath: root + "/models/lambda.json", contents: Data(lambda.utf8))
        fm.createFile(atPath: root + "/models/open.json", contents: Data(open.utf8))
        fm.createFile(atPath: root + "/strata.yml", contents: Data("forward:\n  warmup: 1\n  runs: 3\n  threads: 1\n".utf8))
        return (root + "/models", root + "/out", root + "/strata.yml")
    }

    func object(_ path: String) throws -> JSONObject {
        try #require(try JSONParser.parse(String(contentsOfFile: path, encoding: .utf8)).objectValue, "\(path) is a JSON object")
    }

    @Test func timedModelsCarryTheTimeCommandsKeys() throws {
        let (models, out, config) = try Self.setUp()
        let r = run(["report", models, "--out", out, "--config", config, "--date", "2026-01-01T00:00:00Z", "--format", "svg,md,json"])
        #expect(r.code == 0, "\(r.err)")

        // The same keys in the same order as `strata time --json`, plus `available`.
        let time = run(["time", Self.reference.appendingPathComponent("seed_resnet8/model.keras").path, "--runs", "1", "--warmup", "0", "--json"])
        let timeKeys = try #require(try JSONParser.parse(time.out).objectValue).keys
        let report = try object(out + "/resnet8_keras/report.json")
        let timing = try #require(report["timing"]?.objectValue)
        #expect(Array(timing.keys) == ["available"] + Array(timeKeys))
        #expect(timing["available"]?.boolValue == true)
        #expect(timing["runs"]?.intValue == 3)
        #expect(timing["warmup"]?.intValue == 1)
        #expect(timing["threads_requested"]?.intValue == 1)
        #expect(timing["model"]?.stringValue == "resnet8.keras")
        #expect(timing["layers"]?.arrayValue?.count == 29, "every non-input layer of the seed model")
        let median = try #require(timing["median_ms"]?.doubleValue)
        #expect(median > 0)

        // The index has the same median; the seeded config was timed too.
        let index = try object(out + "/index.json")
        let list = index["models"]?.arrayValue ?? []
        let entries = list.compactMap { $0.objectValue }
        #expect(entries.count == 4)
        let byId = Dictionary(uniqueKeysWithValues: entries.map { ($0["id"]?.stringValue ?? "", $0) })
        #expect(byId["resnet8.keras"]?["latency_ms"]?.doubleValue == median)
        #expect((byId["nested.json"]?["latency_ms"]?.doubleValue ?? 0) > 0)
        for id in ["resnet8_keras", "nested_json"] {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(id)/latency.svg"), "\(id)/latency.svg")
            let md = try String(contentsOfFile: "\(out)/\(id)/report.md", encoding: .utf8)
            #expect(md.contains("![Latency per layer](latency.svg)"))
            #expect(md.contains("over 3 timed runs at batch 1 after 1 warm-up runs, on 1 thread(s)"))
        }

        // The Lambda model is reported (status ok) with the reason, naming the layer.
        #expect(byId["lambda.json"]?["status"]?.stringValue == "ok")
        #expect(byId["lambda.json"]?["latency_ms"]?.isNull == true)
        #expect(byId["lambda.json"]?["not_timed"]?.stringValue?.contains("double_it") == true)
        #expect(byId["resnet8.keras"]?["not_timed"]?.isNull == true)
        let indexMD = try String(contentsOfFile: out + "/index.md", encoding: .utf8)
        #expect(indexMD.contains("| [lambda.json](lambda_json/report.md) | 10 | ? | not timed | new | ok |"), "\(indexMD)")
        let lambdaTiming = try #require(try object(out + "/lambda_json/report.json")["timing"]?.objectValue)
        #expect(lambdaTiming["available"]?.boolValue == false)
        #expect(lambdaTiming["reason"]?.stringValue?.contains("double_it") == true, "\(lambdaTiming)")
        #expect(!FileManager.default.fileExists(atPath: out + "/lambda_json/latency.svg"))
        #expect(r.err.contains("lambda.json: not timed:"))
        #expect(r.out.contains("Timed 2 of 4 reported models; not timed:\n  lambda.json: "), "\(r.out)")
        // The open input: the reason says where to give its sizes.
        let openTiming = try #require(try object(out + "/open_json/report.json")["timing"]?.objectValue)
        #expect(openTiming["reason"]?.stringValue?.contains("forward.input_shapes") == true, "\(openTiming)")

        // The history holds the median, p90 and spread of each timed model.
        let store = try HistoryStore.open(path: out + "/history.sqlite").store
        let run = try #require(try store.runs().last?.id)
        let rows = Dictionary(uniqueKeysWithValues: try store.modelRuns(runId: run).map { ($0.modelId, $0) })
        #expect(rows["resnet8.keras"]?.latencyMedianMs == median)
        #expect(rows["resnet8.keras"]?.latencyP90Ms == timing["p90_ms"]?.doubleValue)
        #expect(rows["resnet8.keras"]?.latencySpreadMs == timing["spread_ms"]?.doubleValue)
        #expect(rows["lambda.json"]?.latencyMedianMs == nil)
    }

    /// Night two: the trend has both medians, oldest first, and the change shows the
    /// previous median; with --no-forward the report says the pass was turned off.
    @Test func secondRunHasTheTrend() throws {
        let (models, out, config) = try Self.setUp()
        #expect(run(["report", models, "--out", out, "--config", config, "--date", "2026-01-01T00:00:00Z", "--format", "json"]).code == 0)
        let first = try #require(try object(out + "/resnet8_keras/report.json")["timing"]?["median_ms"]?.doubleValue)
        #expect(run(["report", models, "--out", out, "--config", config, "--date", "2026-01-02T00:00:00Z", "--format", "json,md"]).code == 0)
        let report = try object(out + "/resnet8_keras/report.json")
        let second = try #require(report["timing"]?["median_ms"]?.doubleValue)
        let history = try #require(report["history"]?.objectValue)
        #expect(history["previous_latency_ms"]?.doubleValue == first)
        let trend = (history["latency_trend_ms"]?.arrayValue ?? []).compactMap { $0.doubleValue }
        #expect(trend == [first, second])
        #expect(history["latency_delta_ms"]?.doubleValue == second - first)
        let md = try String(contentsOfFile: out + "/resnet8_keras/report.md", encoding: .utf8)
        #expect(md.contains("Median over the last 2 runs, oldest first:"))
        #expect(md.contains("| Latency (median) |"))

        #expect(run(["report", models, "--out", out, "--no-forward", "--date", "2026-01-03T00:00:00Z", "--format", "json"]).code == 0)
        let off = try #require(try object(out + "/resnet8_keras/report.json")["timing"]?.objectValue)
        #expect(off["available"]?.boolValue == false)
        #expect(off["reason"]?.stringValue?.contains("turned off") == true)
    }

    /// `forward.budget_seconds` stops the timed runs early: 1,000 runs asked for, far fewer
    /// fit in a millisecond; the report records both counts.
    @Test func budgetStopsTheRuns() throws {
        let (models, out, _) = try Self.setUp()
        let config = out + ".yml"
        FileManager.default.createFile(atPath: config, contents: Data("forward:\n  warmup: 0\n  runs: 1000\n  budget_seconds: 0.001\n".utf8))
        #expect(run(["report", models, "--out", out, "--config", config, "--format", "json", "--date", "2026-01-01"]).code == 0)
        let timing = try #require(try object(out + "/resnet8_keras/report.json")["timing"]?.objectValue)
        #expect(timing["runs_requested"]?.intValue == 1000)
        let runs = try #require(timing["runs"]?.intValue)
        #expect(runs >= 1 && runs < 1000)
        #expect(timing["run_ms"]?.arrayValue?.count == runs)
    }

    /// A previous run recorded at 0.001 ms (written `0.00100 ms`) makes any real median a rise far beyond the 10 %
    /// default threshold: a regression, and exit 3 with --fail-on-regression.
    @Test func latencyRiseIsARegression() throws {
        let (models, out, config) = try Self.setUp()
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let store = try HistoryStore.open(path: out + "/history.sqlite").store
        let models0 = ["resnet8.keras", "nested.json", "lambda.json", "open.json"].map {
            ModelRunRecord(summary: ModelRunSummary(modelId: $0, modelName: $0, file: $0, contentHash: nil, status: .ok,
                                                    latencyMedianMs: $0 == "resnet8.keras" ? 0.001 : nil))
        }
        _ = try store.record(run: RunRecord(runDate: "2025-12-31T00:00:00Z", strataVersion: "test"), models: models0)
        let r = run(["report", models, "--out", out, "--config", config, "--date", "2026-01-01T00:00:00Z", "--format", "json,md", "--fail-on-regression"])
        #expect(r.code == 3, "\(r.out)\n\(r.err)")
        #expect(r.out.contains("resnet8.keras: latency median rose from 0.00100 ms to"))
        #expect(r.out.contains("threshold 10%"))
        #expect(!r.out.contains("nested.json: latency"), "no previous timing, no latency regression")
        let index = try String(contentsOfFile: out + "/index.md", encoding: .utf8)
        #expect(index.contains("latency median rose from 0.00100 ms"))
    }

    /// A Keras 2 .h5 whose `enc_dense2` kernel has a NaN and an Inf patched into its bytes:
    /// the model is still timed, and the report and the log say which weight is not finite.
    @Test func nonFiniteWeightsAreShownInTheReport() throws {
        let source = Self.reference.appendingPathComponent("case_nested/model_keras2.h5").path
        let clean = try ModelWeights.load(path: source, analysis: Analyzer.analyze(try ModelFileReader.read(source)))
        let kernel = try #require(clean.tensor("encoder/enc_dense2", "kernel"))
        let pattern = kernel.data.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: source)))
        let at = try #require((0...(bytes.count - pattern.count)).first { i in bytes[i] == pattern[0] && Array(bytes[i..<(i + pattern.count)]) == pattern })
        for (k, v) in [(0, Float.nan), (5, Float.infinity)] {
            withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.replaceSubrange((at + 4 * k)..<(at + 4 * k + 4), with: $0) }
        }
        let (models, out, config) = try Self.setUp()
        for f in ["resnet8.keras", "nested.json", "lambda.json", "open.json"] { try FileManager.default.removeItem(atPath: models + "/" + f) }
        try Data(bytes).write(to: URL(fileURLWithPath: models + "/nan.h5"))
        let r = run(["report", models, "--out", out, "--config", config, "--format", "json,md", "--date", "2026-01-01"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.err.contains("warning:") && r.err.contains("enc_dense2") && r.err.contains("2 of 256 values are not finite"), "\(r.err)")
        let report = try object(out + "/nan_h5/report.json")
        let diagnostics = report["diagnostics"]?.arrayValue?.compactMap { $0.objectValue } ?? []
        #expect(diagnostics.contains { $0["id"]?.stringValue == "weights-not-finite" && ($0["message"]?.stringValue ?? "").contains("kernel") })
        #expect(report["timing"]?["available"]?.boolValue == true)
        let md = try String(contentsOfFile: out + "/nan_h5/report.md", encoding: .utf8)
        #expect(md.contains("weights-not-finite"))
        let time = run(["time", models + "/nan.h5", "--runs", "1", "--warmup", "0"])
        #expect(time.err.contains("strata: warning:") && time.err.contains("not finite"), "\(time.err)")
    }

    /// A text model (Embedding, MultiHeadAttention) is timed in the batch as by `strata
    /// time`: its synthetic inputs are whole ids in the Embedding's range, not random floats.
    @Test func textModelIsTimed() throws {
        let (models, out, config) = try Self.setUp()
        for f in ["resnet8.keras", "nested.json", "lambda.json", "open.json"] { try FileManager.default.removeItem(atPath: models + "/" + f) }
        let fixture = Self.reference.deletingLastPathComponent().appendingPathComponent("execution/sequence/transformer_block/model.keras").path
        try FileManager.default.copyItem(atPath: fixture, toPath: models + "/transformer.keras")
        let r = run(["report", models, "--out", out, "--config", config, "--format", "json", "--date", "2026-01-01"])
        #expect(r.code == 0, "\(r.err)")
        let timing = try #require(try object(out + "/transformer_keras/report.json")["timing"]?.objectValue)
        #expect(timing["available"]?.boolValue == true, "\(timing)")
    }
}
