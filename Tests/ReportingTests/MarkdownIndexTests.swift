import Foundation
import Testing
import ModelKit
@testable import Reporting

/// `index.md` and `index.json` of a hand-built batch: ok, new, timed, failed and stale
/// models, a regression, unavailable formats.
@Suite struct MarkdownIndexTests {
    static func sample() -> BatchIndex {
        BatchIndex(runDate: "2026-01-02T03:00:00Z", strataVersion: "0.0.0-test", entries: [
            .init(id: "vision/resnet8.keras", reportFolder: "vision/resnet8", name: "resnet8", file: "vision/resnet8.keras", status: .ok,
                  params: 78_666, macs: 12_575_360,
                  change: ModelChange(previousRunDate: "2026-01-01T03:00:00Z", previousParams: 78_000, previousMACs: 12_575_360, contentChanged: true)),
            .init(id: "tiny.json", reportFolder: "tiny", name: "tiny", file: "tiny.json", status: .ok, params: 650, macs: 640, latencyMs: 0.412,
                  change: ModelChange(previousRunDate: "2026-01-01T03:00:00Z", previousParams: 650, previousMACs: 640, previousLatencyMs: 0.4)),
            .init(id: "fresh.keras", reportFolder: "fresh", name: "fresh", file: "fresh.keras", status: .ok, params: 10, macs: 0,
                  change: ModelChange()),
            .init(id: "broken.json", reportFolder: "broken", name: "broken", file: "broken.json", status: .failed,
                  error: "broken.json: config.layers[3] (layer \"dense\"): missing key \"units\""),
            .init(id: "old/model.h5", reportFolder: "old/model", name: "model", file: "old/model.h5", status: .stale,
                  change: ModelChange(previousRunDate: "2026-01-01T03:00:00Z", previousParams: 1_000),
                  error: "old/model.h5: cannot open the HDF5 file: permission denied"),
        ], regressions: [.init(id: "vision/resnet8.keras", message: "parameter count changed: 78,000 -> 78,666")],
        unavailable: ["pdf", "latency"],
        skipped: [.init(file: "notes/README.md", reason: "a .md file, not a model: Strata reads .json, .keras, .h5 and .hdf5 files"),
                  .init(file: "labels|<b>.json", reason: "a JSON file that is not a Keras model config")])
    }

    @Test func golden() throws {
        try Golden.compare(try MarkdownIndex.render(Self.sample(), templatesFolder: nil), golden: "sample_index.md")
    }

    @Test func jsonGolden() throws {
        try Golden.compare(IndexJSON.render(Self.sample()), golden: "sample_index.json")
    }

    /// Files that are not models are listed with their reasons, names escaped.
    @Test func skippedFilesAreListed() throws {
        let md = try MarkdownIndex.render(Self.sample(), templatesFolder: nil)
        #expect(md.contains("## Files that are not models\n\n- notes/README.md: a .md file, not a model: Strata reads .json, .keras, .h5 and .hdf5 files\n- labels\\|&lt;b&gt;.json: a JSON file that is not a Keras model config\n"), "\(md)")
        let json = IndexJSON.render(Self.sample())
        let parsed = try IndexJSON.parse(try JSONParser.parse(Array(json.utf8)), file: "index.json")
        #expect(parsed.skipped == Self.sample().skipped, "index.json reads back (strata merge)")
    }

    /// Rows by hand: +666 of 78,000 is +0.85% -> `+0.9%`; 0.412 − 0.4 ms = +0.012 ms, +3.0%.
    @Test func rows() throws {
        let md = try MarkdownIndex.render(Self.sample(), templatesFolder: nil)
        #expect(md.contains("| [resnet8](vision/resnet8/report.md) | 78,666 | 12.6 M | — | params +666 (+0.9%); file changed | ok |"))
        #expect(md.contains("| [tiny](tiny/report.md) | 650 | 640 | 0.412 ms | latency +0.0120 ms (+3.0%) | ok |"))
        #expect(md.contains("| [fresh](fresh/report.md) | 10 | 0 | — | new | ok |"))
        #expect(md.contains("| broken | ? | ? | — | — | failed |"))
        #expect(md.contains("| [model](old/model/report.md) | ? | ? | — | — | stale: previous report kept |"))
        #expect(md.contains("Run of 2026-01-02T03:00:00Z by Strata 0.0.0-test: 5 models, 3 reported, 1 failed, 1 stale, 1 regression."))
        #expect(md.contains("## Regressions\n\n- vision/resnet8.keras: parameter count changed: 78,000 -&gt; 78,666\n"))
        #expect(md.contains("- broken (broken.json): failed, no report. Error: broken.json: config.layers\\[3\\] (layer \"dense\"): missing key \"units\""))
        #expect(md.contains("- [model](old/model/report.md) (old/model.h5): stale, the previous report is kept. Error: old/model.h5: cannot open the HDF5 file: permission denied"))
        #expect(md.contains("Not available in this build, so not produced (never faked): pdf, latency."))
        #expect(MarkdownTableCheck.badRows(md) == [])
    }

    @Test func emptyRun() throws {
        let md = try MarkdownIndex.render(BatchIndex(runDate: "2026-01-02", strataVersion: "0.0.0-test", entries: []), templatesFolder: nil)
        #expect(md.contains("No models were found."))
        #expect(md.contains("No regressions."))
        #expect(md.contains("No model failed."))
        #expect(!md.contains("## Unavailable"))
        #expect(!md.contains("|"))
    }

    /// Names, ids, folders and errors from model files cannot inject HTML, Markdown or a link.
    @Test func hostileEntries() throws {
        let index = BatchIndex(runDate: "2026-01-02", strataVersion: "0.0.0-test", entries: [
            .init(id: "x|y.json", reportFolder: "javascript:alert(1)//(x)", name: "**bold**](javascript:alert(1))", file: "<script>.json", status: .stale,
                  error: "line one\n# line two <script>alert(1)</script>"),
        ], regressions: [.init(id: "<b>id</b>", message: "[click](http://evil.example)")], unavailable: ["<i>pdf</i>"])
        let md = try MarkdownIndex.render(index, templatesFolder: nil)
        #expect(!md.contains("<script"))
        #expect(!md.contains("<b>"))
        #expect(!md.contains("<i>"))
        // The only link is Strata's own, to a relative, percent-encoded path.
        #expect(md.range(of: #"(?<!\\)\]\((javascript:|http)"#, options: .regularExpression) == nil)
        #expect(md.contains("| [\\*\\*bold\\*\\*\\](javascript:alert(1))](javascript%3Aalert%281%29//%28x%29/report.md) |"))
        #expect(md.contains("Error: line one # line two &lt;script&gt;alert(1)&lt;/script&gt;\n"))
        #expect(!md.split(separator: "\n").contains { $0.hasPrefix("# line two") })
        #expect(MarkdownTableCheck.badRows(md) == [])
    }

    /// Index JSON keeps the raw strings (JSON escaping only) and raw numbers.
    @Test func jsonKeepsRawValues() throws {
        let json = try JSONParser.parse(IndexJSON.render(Self.sample()))
        #expect(json["schema"]?.stringValue == "strata-index/1")
        let models = try #require(json["models"]?.arrayValue)
        #expect(models.map { $0["status"]?.stringValue } == ["ok", "ok", "ok", "failed", "stale"])
        #expect(models[1]["latency_ms"]?.doubleValue == 0.412)
        #expect(models[0]["latency_ms"]?.isNull == true)
        #expect(models[3]["error"]?.stringValue == "broken.json: config.layers[3] (layer \"dense\"): missing key \"units\"")
        #expect(models[2]["change"]?["new"]?.boolValue == true)
        #expect(models[3]["change"]?.isNull == true)
    }
}

/// Latencies keep three significant digits however small: microsecond models must not all
/// read `0.000 ms`.
@Suite struct MillisecondsFormattingTests {
    @Test func threeSignificantDigits() {
        #expect(ChangeFormatting.milliseconds(412.4) == "412 ms")
        #expect(ChangeFormatting.milliseconds(41.24) == "41.2 ms")
        #expect(ChangeFormatting.milliseconds(4.124) == "4.12 ms")
        #expect(ChangeFormatting.milliseconds(0.4124) == "0.412 ms")
        #expect(ChangeFormatting.milliseconds(0.0891) == "0.0891 ms")
        #expect(ChangeFormatting.milliseconds(0.0091235) == "0.00912 ms")
        #expect(ChangeFormatting.milliseconds(0.000091) == "0.000091 ms")
        #expect(ChangeFormatting.milliseconds(0) == "0 ms")
        #expect(ChangeFormatting.signedMilliseconds(-0.0120) == "\u{2212}0.0120 ms")
    }
}
