import Foundation
import Testing
import ModelKit
@testable import Reporting

/// The latency chart and trend: bars in microseconds that sum to the per-layer total,
/// slowest first, folded beyond the limit; the chart on its own PDF page only when timed;
/// the summary's latency figure from the document's timing.
@Suite struct LatencyChartTests {
    /// Layer calls of 2.0, 0.5, 1.25 and 0.25 ms; the pass's runs 4, 5, 6 ms (median 5).
    static func timing() -> ForwardTiming {
        ForwardTiming(runs: 3, requestedRuns: 3, warmup: 0, threads: 2, requestedThreads: 2, runMs: [4, 5, 6],
                      layers: [.init(name: "a", className: "Conv2D", medianMs: 2.0), .init(name: "b", className: "ReLU", medianMs: 0.5),
                               .init(name: "c", className: "Dense", medianMs: 1.25), .init(name: "d", className: "Add", medianMs: 0.25)],
                      instrumentedRuns: 3, peakRSSBytes: nil, backend: "DNNLBackend")
    }

    @Test func barsAreSlowestFirstInMicroseconds() {
        let bars = LatencyChart.bars(Self.timing())
        #expect(bars.map(\.label) == ["a (Conv2D)", "c (Dense)", "b (ReLU)", "d (Add)"])
        #expect(bars.map(\.values) == [[2000], [1250], [500], [250]])
        // 2.0 of the 5 ms median is 40 %.
        #expect(bars[0].valueLabel == "2.00 ms (40.0%)")
        #expect(bars.reduce(0) { $0 + $1.total } == 4000, "the bars sum to the per-layer total, 4.0 ms")
    }

    /// With a limit of 3 the two fastest calls (0.5 + 0.25 ms) fold into one bar.
    @Test func fastestCallsFold() {
        let bars = LatencyChart.bars(Self.timing(), limit: 3)
        #expect(bars.map(\.label) == ["a (Conv2D)", "c (Dense)", "2 other layer calls"])
        #expect(bars.last?.values == [750])
        #expect(bars.reduce(0) { $0 + $1.total } == 4000)
    }

    @Test func tickLabelsAreMilliseconds() {
        #expect(BarChart.millisecondsLabel(microseconds: 500) == "0.5 ms")
        #expect(BarChart.millisecondsLabel(microseconds: 20_000) == "20 ms")
        #expect(BarChart.millisecondsLabel(microseconds: 1_250) == "1.25 ms")
    }

    /// The PDF has one latency page, after the parameter chart, only when the
    /// model was timed; the summary shows the median (5.00 ms) from the timing.
    @Test func latencyPageOnlyWhenTimed() throws {
        var doc = try PagesFixtures.document(PagesFixtures.seed, as: "resnet8.keras")
        let m = PagesFixtures.measurer
        let untimed = ReportPages.assemble(doc, measurer: m)
        #expect(!untimed.contains { $0.title.hasSuffix("latency per layer") })
        doc.timing = Self.timing()
        let timed = ReportPages.assemble(doc, measurer: m)
        #expect(timed.filter { $0.title.hasSuffix("latency per layer") }.count == 1)
        let i = try #require(timed.firstIndex { $0.title.hasSuffix("latency per layer") })
        #expect(timed[i - 1].title.hasSuffix("parameters per layer"))
        #expect(timed[0].texts.contains("5.00 ms"))
        PagesFixtures.checkTexts(timed)
    }

    /// The trend appears below the bars with two or more runs, from zero, with the first and
    /// last medians written; one run is no trend.
    @Test func trendNeedsTwoRuns() throws {
        var doc = try PagesFixtures.document(PagesFixtures.seed, as: "resnet8.keras")
        doc.change = ModelChange(previousRunDate: "2026-01-01", previousLatencyMs: 4, latencyTrendMs: [4.0, 6.0, 5.0])
        let m = PagesFixtures.measurer
        let scene = LatencyChart.standalone(doc, timing: Self.timing(), measurer: m)
        #expect(scene.texts.contains("Median latency over the last 3 runs, oldest first"))
        #expect(scene.texts.contains("4.00 ms"))
        #expect(scene.texts.contains("5.00 ms"))
        #expect(scene.texts.contains("0 ms"))
        doc.change?.latencyTrendMs = [5.0]
        let alone = LatencyChart.standalone(doc, timing: Self.timing(), measurer: m)
        #expect(!alone.texts.contains { $0.hasPrefix("Median latency over") })
        #expect(alone.size.height < scene.size.height)
    }

    /// A call fused into another layer's step has no bar (its time is in that layer's); the
    /// caption counts it.
    @Test func fusedCallsHaveNoBar() throws {
        var t = Self.timing()
        t.layers.append(.init(name: "bn", className: "BatchNormalization", medianMs: 0, fusedInto: "a"))
        let bars = LatencyChart.bars(t)
        #expect(bars.map(\.label) == ["a (Conv2D)", "c (Dense)", "b (ReLU)", "d (Add)"])
        #expect(LatencyChart.caption(t, bars: bars).contains("1 more layer call (folded batch normalizations, fused activations and additions) run inside the step of the layer before them"))
        #expect(LatencyChart.caption(t, bars: bars).contains("each of the 4 layer calls with a step of its own"))
        // An ONNX report counts nodes (each runs once).
        #expect(LatencyChart.caption(t, bars: bars, unit: "node").contains("each of the 4 nodes with a step of its own"))
        #expect(LatencyChart.caption(t, bars: bars, unit: "node").contains("1 more node (folded batch normalizations, fused activations and additions) run inside the step of the node before them"))
    }
}
