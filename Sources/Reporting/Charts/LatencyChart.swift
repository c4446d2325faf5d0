import Foundation
import ModelKit

/// Time per layer call as horizontal bars, slowest first (the medians of the instrumented
/// runs); beyond `limit` bars the fastest calls fold into one bar, so the bars always sum to
/// the per-layer total, which the caption sets beside the median of the whole pass. Below,
/// when the history has two or more timed runs of the model, a small line chart of the
/// median over those runs (`LatencyTrend`).
public enum LatencyChart {
    public static let defaultLimit = 30

    static func series(_ theme: Theme) -> [BarChart.Series] {
        [BarChart.Series(name: "median time", color: theme.barLatency)]
    }

    static func microseconds(_ ms: Double) -> Int { ms.isFinite && ms > 0 ? Int((ms * 1000).rounded()) : 0 }

    /// `1.25 ms (8.3%)`: the time and its share of the median total.
    static func valueLabel(_ ms: Double, total: Double) -> String {
        ChangeFormatting.milliseconds(ms) + (total > 0 ? String(format: " (%.1f%%)", ms / total * 100) : "")
    }

    /// The bars: every layer call with a time of its own (not fused into another's step),
    /// slowest first, ties in execution order; more than `limit` calls keep the `limit - 1`
    /// slowest and fold the rest into one bar.
    public static func bars(_ t: ForwardTiming, limit: Int = defaultLimit, unit: String = "layer") -> [BarChart.Bar] {
        let sorted = t.layers.enumerated().filter { $0.element.fusedInto == nil }.sorted {
            $0.element.medianMs != $1.element.medianMs ? $0.element.medianMs > $1.element.medianMs : $0.offset < $1.offset
        }.map(\.element)
        let fold = sorted.count > max(1, limit)
        let shown = fold ? Array(sorted.prefix(max(1, limit) - 1)) : sorted
        var out = shown.map { l in
            BarChart.Bar(label: "\(l.name) (\(l.className))", values: [microseconds(l.medianMs)], valueLabel: valueLabel(l.medianMs, total: t.medianMs))
        }
        if fold {
            let rest = sorted.dropFirst(shown.count)
            let ms = rest.reduce(0) { $0 + $1.medianMs }
            out.append(BarChart.Bar(label: "\(rest.count) other \(callWord(unit))s", values: [rest.reduce(0) { $0 + microseconds($1.medianMs) }],
                                    valueLabel: valueLabel(ms, total: t.medianMs)))
        }
        return out
    }

    /// What the bars show and how they relate to the whole pass.
    /// What one timed entry is called: a layer call (a layer may be called several times), or
    /// the format's own unit (an ONNX node runs once).
    static func callWord(_ unit: String) -> String { unit == "layer" ? "layer call" : unit }

    static func caption(_ t: ForwardTiming, bars: [BarChart.Bar], unit: String = "layer") -> String {
        let own = t.layers.filter { $0.fusedInto == nil }.count
        let fused = t.layers.count - own
        var s = "Median time of each of the \(Formatting.plural(own, callWord(unit))) with a step of its own over \(Formatting.plural(t.instrumentedRuns, "instrumented run")), slowest first"
        if own > bars.count { s += ", the \(own - bars.count + 1) fastest folded into the last bar" }
        if fused > 0 {
            s += ". \(Formatting.plural(fused, "more \(callWord(unit))")) (folded batch normalizations, fused activations and additions) run inside the step of the \(unit) before them, whose bar includes their time"
        }
        s += ". They add up to \(ChangeFormatting.milliseconds(t.layerSumMs)); the whole pass, timed without instrumentation, has a median of \(ChangeFormatting.milliseconds(t.medianMs))"
        s += " (min \(ChangeFormatting.milliseconds(t.minMs)), p90 \(ChangeFormatting.milliseconds(t.p90Ms)), \(Formatting.plural(t.runs, "run")), batch 1, \(Formatting.plural(t.threads, "thread")), \(t.backend))."
        if let warning = t.disturbanceWarning { s += " " + warning + "." }
        return s
    }

    /// Title, caption, bars and (with two or more runs in `trendMs`) the trend, stacked at `width`.
    static func block(_ t: ForwardTiming, trendMs: [Double], width: Double, measurer: any TextMeasurer, theme: Theme, limit: Int,
                      unit: String = "layer") -> SceneBlock {
        let tw = TextWrapper(measurer: measurer)
        var prims: [Primitive] = []
        var y = 0.0
        prims.append(.text(tw.truncate("Latency per \(unit)", style: theme.headingStyle, width: width), origin: Point(0, y), style: theme.headingStyle, anchor: .start))
        y += tw.lineHeight(theme.headingStyle) + 4
        let bars = bars(t, limit: limit, unit: unit)
        for line in tw.wrap(caption(t, bars: bars, unit: unit), style: theme.smallStyle, width: width) {
            prims.append(.text(line, origin: Point(0, y), style: theme.smallStyle, anchor: .start))
            y += tw.lineHeight(theme.smallStyle)
        }
        y += 8
        if bars.isEmpty {
            prims.append(.text("No \(callWord(unit)) was timed.", origin: Point(0, y), style: theme.bodyStyle, anchor: .start))
            y += tw.lineHeight(theme.bodyStyle)
        } else {
            var chart = BarChart(series: series(theme), bars: bars)
            chart.tickText = .millisecondsFromMicroseconds
            let laid = chart.layout(width: width, measurer: measurer, theme: theme)
            prims += laid.translated(0, y)
            y += laid.height
        }
        if trendMs.count >= 2 {
            y += 16
            let trend = LatencyTrend(medianMs: trendMs).layout(width: width, measurer: measurer, theme: theme)
            prims += trend.translated(0, y)
            y += trend.height
        }
        return SceneBlock(height: y, primitives: prims)
    }

    /// The chart as a PDF page (content only; `ReportPages` adds the footer).
    public static func page(_ doc: ReportDocument, timing: ForwardTiming, measurer: any TextMeasurer, theme: Theme = .standard,
                            geometry: PageGeometry = .a4Portrait, limit: Int = defaultLimit) -> Scene {
        let c = geometry.content
        let b = block(timing, trendMs: doc.change?.latencyTrendMs ?? [], width: c.width, measurer: measurer, theme: theme, limit: limit,
                      unit: doc.analysis.source.conventions.unitName)
        return Scene(size: geometry.size, title: "\(doc.analysis.modelName): latency per \(doc.analysis.source.conventions.unitName)",
                     description: "Median time per \(callWord(doc.analysis.source.conventions.unitName)) of \(doc.analysis.modelName), slowest first", primitives: b.translated(c.x, c.y))
    }

    /// The same chart sized for a wiki page (`latency.svg`): `width` wide, as tall as its content.
    public static func standalone(_ doc: ReportDocument, timing: ForwardTiming, measurer: any TextMeasurer, theme: Theme = .standard,
                                  width: Double = 720, margin: Double = 16, limit: Int = defaultLimit) -> Scene {
        let b = block(timing, trendMs: doc.change?.latencyTrendMs ?? [], width: width - 2 * margin, measurer: measurer, theme: theme, limit: limit,
                      unit: doc.analysis.source.conventions.unitName)
        var prims: [Primitive] = [.rect(Rect(0, 0, width, b.height + 2 * margin), fill: theme.background, stroke: nil, lineWidth: 0, cornerRadius: 0)]
        prims += b.translated(margin, margin)
        return Scene(size: Size(width, (b.height + 2 * margin).rounded(.up)), title: "\(doc.analysis.modelName): latency per \(doc.analysis.source.conventions.unitName)",
                     description: "Median time per \(callWord(doc.analysis.source.conventions.unitName)) of \(doc.analysis.modelName), slowest first; median of the whole pass \(ChangeFormatting.milliseconds(timing.medianMs)).",
                     primitives: prims)
    }
}

/// The median latency of a model over its last runs (oldest first, this run last) as a
/// small line chart: one point per run, the value axis from zero so a change is seen at its
/// true size, the first and last values written beside their points.
public struct LatencyTrend: Hashable, Sendable {
    public var medianMs: [Double]
    public var height = 90.0

    public init(medianMs: [Double]) { self.medianMs = medianMs }

    public func layout(width: Double, measurer: any TextMeasurer, theme: Theme) -> SceneBlock {
        let tw = TextWrapper(measurer: measurer)
        let axis = theme.smallStyle
        var prims: [Primitive] = []
        let title = "Median latency over the last \(medianMs.count) runs, oldest first"
        prims.append(.text(tw.truncate(title, style: theme.bodyStyle, width: width), origin: Point(0, 0), style: theme.bodyStyle, anchor: .start))
        let top = tw.lineHeight(theme.bodyStyle) + 6
        let values = medianMs.map { $0.isFinite ? max(0, $0) : 0 }
        let maxValue = max(values.max() ?? 0, 1e-9)
        let labelWidth = tw.width(ChangeFormatting.milliseconds(maxValue), axis) + 6
        let x0 = labelWidth, x1 = width - tw.width(ChangeFormatting.milliseconds(values.last ?? 0), axis) - 8
        let y0 = top, y1 = top + height
        // Axes: zero at the bottom, the largest median at the top.
        prims.append(.line([Point(x0, y0), Point(x0, y1), Point(x1, y1)], stroke: theme.edge, lineWidth: 0.75, dash: []))
        prims.append(.line([Point(x0, y0), Point(x1, y0)], stroke: theme.rule, lineWidth: 0.5, dash: []))
        let lh = tw.lineHeight(axis)
        prims.append(.text(ChangeFormatting.milliseconds(maxValue), origin: Point(x0 - 4, y0 - lh / 2), style: axis, anchor: .end))
        prims.append(.text("0 ms", origin: Point(x0 - 4, y1 - lh / 2), style: axis, anchor: .end))
        let step = values.count > 1 ? (x1 - x0 - 12) / Double(values.count - 1) : 0
        let points = values.enumerated().map { i, v in Point(x0 + 6 + Double(i) * step, y1 - v / maxValue * height) }
        prims.append(.line(points, stroke: theme.barLatency, lineWidth: 1.5, dash: []))
        for p in points {
            prims.append(.rect(Rect(p.x - 2, p.y - 2, 4, 4), fill: theme.barLatency, stroke: nil, lineWidth: 0, cornerRadius: 2))
        }
        if let first = points.first, let last = points.last {
            prims.append(.text(ChangeFormatting.milliseconds(values[0]), origin: Point(first.x + 5, min(first.y + 3, y1 - lh - 1)), style: axis, anchor: .start))
            prims.append(.text(ChangeFormatting.milliseconds(values[values.count - 1]), origin: Point(last.x + 4, last.y - lh / 2), style: axis, anchor: .start))
        }
        prims.append(.text("earliest run", origin: Point(x0 + 6, y1 + 4), style: axis, anchor: .start))
        prims.append(.text("this run", origin: Point(x1 - 6, y1 + 4), style: axis, anchor: .end))
        return SceneBlock(height: y1 + 4 + lh, primitives: prims)
    }
}
