import Foundation
import Testing
import KerasFormat
import ModelKit
@testable import Reporting

/// The per-model `report.md`: goldens of the seed model, the change section, timing shown
/// only when there is one, hostile names, and tables that render.
@Suite struct MarkdownReportTests {
    static func seed() throws -> ReportDocument {
        try GoldenTests.document("seed_resnet8/model.keras", as: "resnet8_cifar10.keras")
    }

    /// The seed model's report with the change of a hand-picked previous run:
    /// 78,000 parameters and 13,000,000 MACs (now 78,666 and 12,575,360), file changed.
    static func seedWithChange() throws -> ReportDocument {
        var doc = try seed()
        doc.change = ModelChange(previousRunDate: "2025-12-31T00:00:00Z", previousParams: 78_000, previousMACs: 13_000_000,
                                 previousLatencyMs: 4.0, contentChanged: true, latencyTrendMs: [4.0])
        return doc
    }

    /// A timing small enough to check by hand: runs 4.0, 4.5 and 5.5 ms give the median
    /// 4.5, min 4.0, p90 4.5 + 0.8 × 1.0 = 5.3 and spread p75 − p25 = 5.0 − 4.25 = 0.75;
    /// the two layer calls (2.0 and 1.0 ms) sum to 3.0 ms, 66.7 % of the median.
    static func timing(_ medianMs: Double = 4.5) -> ForwardTiming {
        ForwardTiming(runs: 3, requestedRuns: 3, warmup: 1, threads: 2, requestedThreads: 2,
                      runMs: [medianMs - 0.5, medianMs, medianMs + 1],
                      layers: [.init(name: "conv2d", className: "Conv2D", medianMs: 2.0), .init(name: "dense", className: "Dense", medianMs: 1.0)],
                      instrumentedRuns: 3, peakRSSBytes: 50_000_000, backend: "DNNLBackend")
    }

    static func timed(_ doc: ReportDocument, _ medianMs: Double) -> ReportDocument {
        var d = doc
        d.timing = timing(medianMs)
        return d
    }

    @Test func seedGolden() throws {
        try Golden.compare(try MarkdownReport.render(try Self.seed(), templatesFolder: nil), golden: "seed_report.md")
    }

    @Test func seedWithChangeGolden() throws {
        try Golden.compare(try MarkdownReport.render(try Self.seedWithChange(), templatesFolder: nil), golden: "seed_report_change.md")
    }

    /// Hand arithmetic: +666 of 78,000 is +0.85% -> `+0.9%`; 12,575,360 − 13,000,000 =
    /// −424,640 -> `−425 k`, of 13,000,000 is −3.27% -> `−3.3%`.
    @Test func changeRows() throws {
        let md = try MarkdownReport.render(try Self.seedWithChange(), templatesFolder: nil)
        #expect(md.contains("Compared with the run of 2025-12-31T00:00:00Z; the model file has changed since then."))
        #expect(md.contains("| Parameters | 78,000 | 78,666 | +666 (+0.9%) |"))
        #expect(md.contains("| MACs at batch 1 | 13.0 M | 12.6 M | \u{2212}425 k (\u{2212}3.3%) |"))
        // The previous run was timed, this one was not: no latency row, no number.
        #expect(!md.contains("| Latency (median) | 4"))
        #expect(!md.contains(" ms"))
    }

    @Test func newModelAndNoHistory() throws {
        var doc = try Self.seed()
        #expect(try MarkdownReport.render(doc, templatesFolder: nil).contains("No history: this report was made outside a batch run."))
        doc.change = ModelChange()
        let md = try MarkdownReport.render(doc, templatesFolder: nil)
        #expect(md.contains("First run of this model: nothing to compare with yet."))
        #expect(!md.contains("| Previous |"))
    }

    /// Without a timing the report says so and shows no latency figure or picture.
    @Test func untimedSaysSo() throws {
        let md = try MarkdownReport.render(try Self.seed(), templatesFolder: nil)
        #expect(md.contains("| Latency (median) | not timed |"))
        #expect(!md.contains("latency.svg"))
        #expect(md.contains("![Layer diagram](diagram.svg)"))
        #expect(md.contains("![Parameters per layer](params.svg)"))
    }

    /// With a timing: the median, the latency picture, and the latency delta because both runs were timed
    /// (4.00 -> 4.50 ms is +0.500 ms, +12.5%).
    @Test func timedShowsLatency() throws {
        let md = try MarkdownReport.render(Self.timed(try Self.seedWithChange(), 4.5), templatesFolder: nil)
        #expect(md.contains("| Latency (median) | 4.50 ms |"))
        #expect(md.contains("![Latency per layer](latency.svg)"))
        #expect(md.contains("| Latency (median) | 4.00 ms | 4.50 ms | +0.500 ms (+12.5%) |"))
        var doc = try Self.seedWithChange()
        doc.change?.previousLatencyMs = nil
        let once = try MarkdownReport.render(Self.timed(doc, 4.5), templatesFolder: nil)
        #expect(!once.contains("| Latency (median) | 4.00 ms"))
    }

    /// The forward-pass section states the hand-checked statistics of `timing()`, the
    /// slowest calls with their share of the median (2.0 / 4.5 = 44.4 %), and the trend.
    @Test func timingSection() throws {
        var doc = Self.timed(try Self.seedWithChange(), 4.5)
        doc.change?.latencyTrendMs = [4.0, 4.5]
        let md = try MarkdownReport.render(doc, templatesFolder: nil)
        #expect(md.contains("Median 4.50 ms over 3 timed runs at batch 1 after 1 warm-up runs, on 2 thread(s) (DNNLBackend): fastest 4.00 ms, 90th percentile 5.30 ms, spread (p75 − p25) 0.750 ms."))
        #expect(md.contains("add up to 3.00 ms (66.7 % of the median)"))
        #expect(md.contains("| conv2d | Conv2D | 2.00 ms | 44.4 % |"))
        #expect(md.contains("| dense | Dense | 1.00 ms | 22.2 % |"))
        #expect(!md.contains("run inside the step"), "nothing fused here")
        var fused = doc
        fused.timing?.layers.append(.init(name: "bn", className: "BatchNormalization", medianMs: 0, fusedInto: "conv2d"))
        let fusedMD = try MarkdownReport.render(fused, templatesFolder: nil)
        #expect(!fusedMD.contains("| bn |"), "a fused call is not among the slowest")
        #expect(fusedMD.contains("1 more layer call(s) (folded batch normalizations, fused activations and additions) run inside the step of the layer before them"))
        #expect(md.contains("Median over the last 2 runs, oldest first: 4.00 ms → 4.50 ms."))
        #expect(MarkdownTableCheck.badRows(md) == [])
        doc.change?.latencyTrendMs = [4.5]
        #expect(!(try MarkdownReport.render(doc, templatesFolder: nil)).contains("Median over the last"), "one run is no trend")
        #expect(!md.contains("likely inflated"))
        doc.timing?.otherCPULoad = 0.9
        #expect(try MarkdownReport.render(doc, templatesFolder: nil).contains(
            "**Other processes used 0.9 cores' worth of CPU while this model was timed, so these times are likely inflated; time it on a quiet machine.**"))
    }

    /// A model that could not be timed says why (escaped), and shows no number.
    @Test func untimedReasonIsShownEscaped() throws {
        var doc = try Self.seed()
        doc.timingUnavailable = "layer \"my_lambda\" (Lambda): not runnable yet"
        let md = try MarkdownReport.render(doc, templatesFolder: nil)
        #expect(md.contains("Not timed: layer \"my\\_lambda\" (Lambda): not runnable yet."))
        #expect(md.contains("| Latency (median) | not timed |"))
        #expect(try MarkdownReport.render(try Self.seed(), templatesFolder: nil).contains("Not timed: the forward pass was not asked for in this run."))
    }

    /// The headline figures match the seed's Keras-made truth (78,666 = 78,186 + 480).
    @Test func headlineFigures() throws {
        let md = try MarkdownReport.render(try Self.seed(), templatesFolder: nil)
        #expect(md.hasPrefix("# resnet8\\_cifar10\n"))
        #expect(md.contains("| Parameters | 78,666 |"))
        #expect(md.contains("| Trainable parameters | 78,186 |"))
        #expect(md.contains("| Non-trainable parameters | 480 |"))
        #expect(md.contains("| MACs at batch 1, input (None, 32, 32, 3) | 12.6 M (12,575,360) |"))
        #expect(md.contains("| Weights | 315 kB (314,664 bytes) |"))
        for (n, what) in [(30, "Keras layers"), (17, "layers that own weights"), (10, "layers with a kernel"), (8, "depth")] {
            #expect(md.contains("| \(n) | \(what)"), "count \(n)")
        }
    }

    /// Every table row has as many `|` separators as its header; the layer table has one
    /// row per Keras layer (30 for the seed).
    @Test func tablesRender() throws {
        for doc in [try Self.seed(), try Self.seedWithChange(), try GoldenTests.document("case_nested/model.json", as: "nested.json"),
                    try Self.hostile()] {
            let md = try MarkdownReport.render(Self.timed(doc, 1.5), templatesFolder: nil)
            #expect(MarkdownTableCheck.badRows(md) == [])
        }
        let tables = MarkdownTableCheck.tables(try MarkdownReport.render(try Self.seed(), templatesFolder: nil))
        let layers = try #require(tables.last)
        #expect(layers.count == 2 + 30)
        #expect(layers[2] == "| input\\_layer | InputLayer | (None, 32, 32, 3) | 0 | 0 | 0 | 0 | — |")
        #expect(layers.contains("| add | Add | (None, 32, 32, 16) | 0 | 0 | 0 | 0 | activation, batch\\_normalization\\_2 |"))
    }

    /// Nested models' layers follow their row, marked and indented.
    @Test func nestedRowsAreMarked() throws {
        let md = try MarkdownReport.render(try GoldenTests.document("case_nested/model.json", as: "nested.json"), templatesFolder: nil)
        let rows = try #require(MarkdownTableCheck.tables(md).last).dropFirst(2).map { $0.split(separator: "|").first.map(String.init) ?? "" }
        #expect(Array(rows.prefix(7)) == [" features ", " encoder ", " ↳ enc\\_in ", " ↳ enc\\_dense1 ", " ↳ enc\\_bn ", " ↳ enc\\_dense2 ", " skip "])
    }

    /// A model whose names try to inject HTML and Markdown.
    static func hostile() throws -> ReportDocument {
        var doc = try seed()
        doc.analysis.modelName = "<script>alert('model')</script>"
        doc.analysis.source.file = "evil|file\n# heading.keras"
        doc.analysis.rows[1].name = "**bold**|<img src=x onerror=alert(1)>"
        doc.analysis.rows[1].className = "[x](javascript:alert(1))"
        doc.analysis.rows[2].inputsPerCall = [[TensorSource(layer: "**bold**|<img src=x onerror=alert(1)>")]]
        doc.analysis.rows[3].name = "line\nbreak | cell"
        return doc
    }

    @Test func hostileNamesRenderLiterally() throws {
        let md = try MarkdownReport.render(try Self.hostile(), templatesFolder: nil)
        #expect(!md.contains("<script"))
        #expect(!md.contains("<img"))
        #expect(md.range(of: #"(?<!\\)\]\(javascript"#, options: .regularExpression) == nil)
        #expect(!md.contains("**bold**"))
        #expect(md.hasPrefix("# &lt;script&gt;alert(\'model\')&lt;/script&gt;\n"))
        #expect(md.contains("| \\*\\*bold\\*\\*\\|&lt;img src=x onerror=alert(1)&gt; | \\[x\\](javascript:alert(1)) |"))
        #expect(md.contains("| line break \\| cell |"))
        #expect(md.contains("| evil\\|file # heading.keras |"))
        // The only raw HTML is Strata's own: entities and line breaks in cells.
        #expect(!md.split(separator: "\n").contains { $0.hasPrefix("#") && $0.contains("heading.keras") })
        #expect(MarkdownTableCheck.badRows(md) == [])
    }
}
