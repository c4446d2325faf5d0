import Foundation
import Testing
import KerasFormat
import ModelKit
@testable import Reporting

/// `report.json` schema 2: the analysis's Codable encoding with format-neutral keys, plus
/// the run's facts, the explanation, timing and history.
@Suite struct ReportJSONTests {
    static func report(_ doc: ReportDocument) throws -> JSONValue { try JSONParser.parse(ReportJSON.render(doc)) }

    /// Every key anywhere in the value, with its path.
    static func keys(_ v: JSONValue, path: String = "") -> [String] {
        switch v {
        case .object(let o): return o.entries.flatMap { ["\(path).\($0.key)"] + keys($0.value, path: "\(path).\($0.key)") }
        case .array(let a): return a.enumerated().flatMap { keys($0.element, path: "\(path)[\($0.offset)]") }
        default: return []
        }
    }

    @Test func schemaTwoWithNeutralKeys() throws {
        let json = try Self.report(try MarkdownReportTests.seed())
        #expect(json["schema"]?.stringValue == "strata-report/2")
        #expect(ReportJSON.schema == "strata-report/2")
        let all = Self.keys(json)
        #expect(all.count > 500, "the walk sees the whole report: \(all.count) keys")
        #expect(all.filter { $0.split(separator: ".").last?.hasPrefix("keras") == true } == [], "no key is named after Keras")
        #expect(all.filter { $0.hasSuffix(".class_name") } == [], "class_name is source_class now")

        let model = try #require(json["model"])
        #expect(model["source_class"]?.stringValue == "Functional")
        #expect(model["format_version"]?.stringValue == "3.15.1")
        #expect(model["conventions"]?["format_name"]?.stringValue == "Keras")
        #expect(model["conventions"]?["layer_count_label"]?.stringValue == "Keras layers (entries of model.layers)")
        #expect(json["layer_counts"]?["top_level_layers"]?.intValue == 30)
        let layers = try #require(json["layers"]?.arrayValue)
        #expect(layers.count == 30)
        let bn = try #require(layers.first { $0["name"]?.stringValue == "batch_normalization" })
        #expect(bn["op"]?.stringValue == "batch_normalization")
        #expect(bn["source_class"]?.stringValue == "BatchNormalization")
        #expect(bn["non_trainable_params"]?.intValue == 32)
        let merges = try #require(json["structure"]?["merges"]?.arrayValue)
        #expect(merges.map { $0["op"]?.stringValue } == ["add", "add", "add"])
        #expect(json["explanation"]?.arrayValue?.first?.stringValue?.hasPrefix("Keras lists 30 layers") == true)
    }

    /// The report's analysis part is exactly the analysis's Codable encoding: decoding the
    /// whole report as a `ModelAnalysis` gives the analysis back.
    @Test func analysisPartDecodesToTheAnalysis() throws {
        for doc in [try MarkdownReportTests.seed(), try PagesFixtures.document(PagesFixtures.nested, as: "nested.json")] {
            let decoded = try JSONDecoder().decode(ModelAnalysis.self, from: Data(ReportJSON.render(doc).utf8))
            #expect(decoded == doc.analysis)
        }
    }

    /// The batch's parts stay: timing (or why not) and the change since the previous run.
    @Test func timingAndHistoryStay() throws {
        let timed = try Self.report(MarkdownReportTests.timed(try MarkdownReportTests.seedWithChange(), 4.5))
        #expect(timed["timing"]?["available"]?.boolValue == true)
        #expect(timed["timing"]?["median_ms"]?.doubleValue == 4.5)
        #expect(timed["history"]?["previous_params"]?.intValue == 78_000)
        #expect(timed["history"]?["params_delta"]?.intValue == 666)
        #expect(timed["history"]?["latency_delta_ms"]?.doubleValue == 0.5)
        #expect(timed.objectValue?.keys.suffix(3) == ["explanation", "timing", "history"])

        var untimed = try MarkdownReportTests.seed()
        untimed.timingUnavailable = "a Lambda layer cannot run"
        let json = try Self.report(untimed)
        #expect(json["timing"]?["available"]?.boolValue == false)
        #expect(json["timing"]?["reason"]?.stringValue == "a Lambda layer cannot run")
        #expect(json["history"] == nil)
    }
}
