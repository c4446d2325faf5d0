import Foundation
import ModelKit

/// The PDF of a comparison (`strata diff --pdf`) and its picture (`--svg`): a first page
/// with the totals old and new and the list of changes; the new model's diagram with the
/// changes marked and the unchanged regions folded (`DiffDiagram`); parameters by layer type
/// and of the changed layers, old beside new; with `--forward`, the layers whose time moved.
public enum DiffPages {
    public struct Output: Sendable {
        /// The PDF's pages, footers drawn.
        public var pages: [Scene]
        /// The marked diagram as one picture (the SVG).
        public var picture: Scene
        /// The marked diagram, laid out.
        public var diagram: Diagram
        /// How many of `pages` draw the diagram (0 when nothing changed).
        public var diagramPageCount: Int
        public var diagnostics: [Diagnostic]
    }

    /// The most change entries the first pages list (the JSON lists them all).
    public static let listLimit = 300
    /// More added (or removed) layers than this are listed as one entry with their classes.
    public static let groupAbove = 12

    public static func render(_ diff: ModelDiff, old: ModelAnalysis, new: ModelAnalysis, latency: LatencyComparison? = nil,
                              version: String, measurer: any TextMeasurer, engine: any GraphLayoutEngine,
                              theme: Theme = .standard, geometry: PageGeometry = .a4Portrait) -> Output {
        // The totals, the changes and the charts flow on from the first page; the diagram follows.
        var flow = summary(diff, unit: new.source.conventions.unitName, latency: latency, version: version, measurer: measurer, theme: theme, geometry: geometry)
        charts(diff, old: old, new: new, latency: latency, into: &flow, measurer: measurer, theme: theme, geometry: geometry)
        var pages = flow.pages
        var layout = DiagramLayout(measurer: measurer, engine: engine, options: DiagramOptions(), theme: theme)
        layout.titleSuffix = " · what changed"
        layout.legend = legend(theme)
        let graph = DiffDiagram.graph(diff, old: old, new: new, measurer: measurer, options: layout.options, theme: theme)
        let diagram = layout.diagram(graph, title: new.modelName, file: new.source.file)
        let diagramPages = diff.isEmpty ? [] : layout.pages(diagram).scenes
        pages += diagramPages
        let name = "diff " + (diff.old.file as NSString).lastPathComponent + " → " + (diff.new.file as NSString).lastPathComponent
        return Output(pages: ReportPages.addFooters(pages, version: version, name: name, measurer: measurer, theme: theme),
                      picture: layout.scene(diagram), diagram: diagram, diagramPageCount: diagramPages.count, diagnostics: diagram.diagnostics)
    }

    static func legend(_ theme: Theme) -> [DiagramLayout.LegendEntry] {
        [DiagramLayout.LegendEntry("added", fill: theme.addedFill, stroke: theme.addedStroke, lineWidth: 1.6),
         DiagramLayout.LegendEntry("changed", fill: theme.changedFill, stroke: theme.changedStroke, lineWidth: 1.6),
         DiagramLayout.LegendEntry("renamed", fill: theme.renamedFill, stroke: theme.renamedStroke, lineWidth: 1.6),
         DiagramLayout.LegendEntry("removed (where it was)", fill: theme.removedFill, stroke: theme.removedStroke, lineWidth: 1.2),
         DiagramLayout.LegendEntry("unchanged", fill: theme.background, stroke: theme.weightlessStroke, lineWidth: 0.7),
         DiagramLayout.LegendEntry("unchanged, folded", fill: theme.weightlessFill, stroke: theme.weightlessStroke, lineWidth: 0.7)]
    }

    /// `+1.23 ms (+4.5%)`, or "no measurable change" within the noise.
    public static func latencyChange(_ deltaMs: Double, oldMs: Double?, noiseMs: Double) -> String {
        guard LatencyComparison.measurable(deltaMs, noise: noiseMs) else { return "no measurable change (noise ±" + duration(noiseMs) + ")" }
        let pct = (oldMs ?? 0) > 0 ? String(format: " (%+.1f%%)", deltaMs / oldMs! * 100) : ""
        return (deltaMs < 0 ? "−" : "+") + duration(abs(deltaMs)) + pct
    }

    /// A time: `12.3 ms`, `0.845 ms`, `41.2 µs`.
    public static func duration(_ ms: Double) -> String {
        ms >= 10 ? String(format: "%.1f ms", ms) : ms >= 0.1 ? String(format: "%.3f ms", ms) : String(format: "%.1f µs", ms * 1000)
    }

    // MARK: First page

    static func summary(_ d: ModelDiff, unit: String, latency: LatencyComparison?, version: String, measurer: any TextMeasurer, theme: Theme,
                        geometry: PageGeometry) -> PageFlow {
        let tw = TextWrapper(measurer: measurer)
        let width = geometry.content.width
        let muted = TextStyle(size: theme.bodyStyle.size, color: theme.mutedText)
        func lines(_ text: String, _ style: TextStyle, x: Double = 0) -> [SceneBlock] {
            tw.wrap(text, style: style, width: width - x).map {
                SceneBlock(height: tw.lineHeight(style), primitives: [.text($0, origin: Point(x, 0), style: style, anchor: .start)])
            }
        }
        func heading(_ text: String) -> SceneBlock {
            SceneBlock(height: tw.lineHeight(theme.headingStyle) + 4, primitives: [.text(text, origin: Point(0, 0), style: theme.headingStyle, anchor: .start)])
        }
        let title = "Model change: \(d.new.model)"
        let continued = SceneBlock(height: tw.lineHeight(theme.smallStyle), primitives: [
            .text(tw.truncate("\(title) (continued)", style: theme.smallStyle, width: width), origin: Point(0, 0), style: theme.smallStyle, anchor: .start)])
        var flow = PageFlow(geometry: geometry, title: title, continuedTitle: title + " (continued)", continuationHeading: continued)
        for b in lines(title, theme.titleStyle) { flow.place(b) }
        flow.space(4)
        for b in lines("Old: \(d.old.file) (\(d.old.model), \(Formatting.plural(d.old.layers, unit)))", muted) { flow.place(b) }
        for b in lines("New: \(d.new.file) (\(d.new.model), \(Formatting.plural(d.new.layers, unit)))", muted) { flow.place(b) }
        for b in lines("Compared by Strata \(version): layers matched by name, then by class and settings (renamed)", muted) { flow.place(b) }
        flow.space(6)
        flow.place(SceneBlock(height: 1, primitives: [.line([Point(0, 0.5), Point(width, 0.5)], stroke: theme.rule, lineWidth: 1, dash: [])]), spacing: 10)

        // Totals: label, old, new, change.
        var rows = d.totals.map { ($0.label, DiffText.value($0.old, key: $0.key), DiffText.value($0.new, key: $0.key), DiffText.delta($0.old, $0.new, key: $0.key)) }
        if let l = latency {
            rows.append(("CPU latency (median)", duration(l.old.medianMs), duration(l.new.medianMs),
                         latencyChange(l.deltaMs, oldMs: l.old.medianMs, noiseMs: l.noiseMs)))
        }
        let body = theme.bodyStyle, bold = TextStyle(size: body.size, weight: .bold, color: theme.text)
        let c0 = rows.map { tw.width($0.0, body) }.max()! + 16
        let c1 = max(tw.width("Old", bold), rows.map { tw.width($0.1, body) }.max()!) + 16
        let c2 = max(tw.width("New", bold), rows.map { tw.width($0.2, body) }.max()!) + 16
        let rh = tw.lineHeight(body) + 3
        var prims: [Primitive] = [
            .text("Old", origin: Point(c0 + c1 - 16, 0), style: bold, anchor: .end),
            .text("New", origin: Point(c0 + c1 + c2 - 16, 0), style: bold, anchor: .end),
            .text("Change", origin: Point(c0 + c1 + c2, 0), style: bold, anchor: .start),
        ]
        for (i, r) in rows.enumerated() {
            let y = Double(i + 1) * rh
            prims.append(.text(r.0, origin: Point(0, y), style: body, anchor: .start))
            prims.append(.text(r.1, origin: Point(c0 + c1 - 16, y), style: body, anchor: .end))
            prims.append(.text(r.2, origin: Point(c0 + c1 + c2 - 16, y), style: body, anchor: .end))
            let moved = r.3 != "=" && !r.3.isEmpty && !r.3.hasPrefix("no measurable")
            prims.append(.text(tw.truncate(r.3, style: moved ? bold : body, width: width - c0 - c1 - c2), origin: Point(c0 + c1 + c2, y),
                               style: moved ? bold : body, anchor: .start))
        }
        flow.place(SceneBlock(height: Double(rows.count + 1) * rh, primitives: prims), spacing: 8)
        if let l = latency {
            let note = "Latency: both models timed alternately in one process, \(Formatting.plural(l.new.runs, "run")) each after \(l.new.warmup) warm-up, batch 1, "
                + "\(Formatting.plural(l.new.threads, "thread")); a change within the larger interquartile range of the runs is no measurable change."
                + (l.new.disturbanceWarning.map { " " + $0 + "." } ?? "")
            for b in lines(note, theme.smallStyle) { flow.place(b) }
            flow.space(6)
        }

        if d.isEmpty {
            for b in lines("No differences: all \(Formatting.plural(d.unchanged, unit)) match (names, classes, settings, shapes, parameters"
                           + " and, where both files hold them, weights).", body) { flow.place(b) }
            flow.space(12)
            return flow
        }
        for b in lines("\(d.added.count) added, \(d.removed.count) removed, \(d.renamed.count) renamed, \(d.changed.count) changed, \(d.unchanged) unchanged.", bold) { flow.place(b) }
        flow.space(8)
        flow.place(heading("What changed"), spacing: 2)

        // The entries: a coloured tag, the layer, its class; a changed layer's fields beneath.
        var entries: [(tag: String, color: Color, text: String, details: [String])] = []
        // Many layers added or removed (blocks of a deeper variant): one entry with their classes.
        func group(_ layers: [ModelDiff.Layer], _ tag: String, _ color: Color) {
            guard layers.count > groupAbove else {
                entries += layers.map { (tag, color, "\($0.name) (\($0.type))", []) }
                return
            }
            var counts: [(String, Int)] = []
            for l in layers {
                if let i = counts.firstIndex(where: { $0.0 == l.type }) { counts[i].1 += 1 } else { counts.append((l.type, 1)) }
            }
            entries.append((tag, color, "\(Formatting.plural(layers.count, unit)): \(layers.first!.name) … \(layers.last!.name)",
                            [counts.map { "\($0.0) ×\($0.1)" }.joined(separator: ", ") + "; strata diff --json names each"]))
        }
        group(d.added, "added", theme.addedStroke)
        group(d.removed, "removed", theme.removedStroke)
        let changedNames = Set(d.changed.map(\.name))
        entries += d.renamed.map { r in ("renamed", theme.renamedStroke, "\(r.old) → \(r.new) (\(r.type))" + (changedNames.contains(r.new) ? ", and changed below" : ""), []) }
        entries += d.changed.map { c in ("changed", theme.changedStroke, "\(c.name) (\(c.type))",
                                         c.changes.map { $0.field == "weights" ? "weights: \($0.new)" : "\($0.field): \($0.old) → \($0.new)" }) }
        let tagWidth = ["added", "removed", "renamed", "changed"].map { tw.width($0, bold) }.max()! + 12
        let small = TextStyle(size: 8, color: theme.text)
        for e in entries.prefix(listLimit) {
            let main = tw.wrap(e.text, style: body, width: width - tagWidth)
            var h = Double(main.count) * tw.lineHeight(body)
            var p: [Primitive] = [.text(e.tag, origin: Point(0, 0), style: TextStyle(size: body.size, weight: .bold, color: e.color), anchor: .start)]
            for (i, l) in main.enumerated() { p.append(.text(l, origin: Point(tagWidth, Double(i) * tw.lineHeight(body)), style: body, anchor: .start)) }
            for detail in e.details {
                for l in tw.wrap(detail, style: small, width: width - tagWidth - 10) {
                    p.append(.text(l, origin: Point(tagWidth + 10, h), style: small, anchor: .start))
                    h += tw.lineHeight(small)
                }
            }
            flow.place(SceneBlock(height: h + 2, primitives: p))
        }
        if entries.count > listLimit {
            flow.space(4)
            for b in lines("… and \(entries.count - listLimit) more changes (strata diff --json lists them all).", muted) { flow.place(b) }
        }
        flow.space(14)
        return flow
    }

    // MARK: Charts

    /// Parameters by layer type old beside new; the changed layers' parameters; with a timing, the layers whose time moved.
    static func charts(_ d: ModelDiff, old: ModelAnalysis, new: ModelAnalysis, latency: LatencyComparison?, into flow: inout PageFlow,
                       measurer: any TextMeasurer, theme: Theme, geometry: PageGeometry) {
        let tw = TextWrapper(measurer: measurer)
        let width = geometry.content.width
        let series = [BarChart.Series(name: "old", color: theme.barOld), BarChart.Series(name: "new", color: theme.barTrainable)]
        func caption(_ text: String) {
            for l in tw.wrap(text, style: theme.smallStyle, width: width) {
                flow.place(SceneBlock(height: tw.lineHeight(theme.smallStyle), primitives: [.text(l, origin: Point(0, 0), style: theme.smallStyle, anchor: .start)]))
            }
            flow.space(6)
        }
        func heading(_ text: String) {
            flow.ensure(120)
            flow.place(SceneBlock(height: tw.lineHeight(theme.headingStyle) + 4, primitives: [.text(text, origin: Point(0, 0), style: theme.headingStyle, anchor: .start)]), spacing: 2)
        }
        func pair(_ label: String, _ a: Int, _ b: Int, _ text: (Int) -> String) -> [BarChart.Bar] {
            [BarChart.Bar(label: label + " · old", values: [a, 0], valueLabel: text(a)),
             BarChart.Bar(label: label + " · new", values: [0, b], valueLabel: text(b) + (a == b ? "" : "  (" + DiffText.delta(a, b) + ")"))]
        }
        func place(_ chart: BarChart) {
            var c = chart
            c.rowGap = 2
            let block = c.layout(width: width, measurer: measurer, theme: theme)
            flow.place(block, spacing: 14)
        }

        // By type.
        let oldTypes = Dictionary(uniqueKeysWithValues: ParametersByType.entries(old).map { ($0.className, $0.total) })
        let newTypes = ParametersByType.entries(new)
        var types = newTypes.map { ($0.className, oldTypes[$0.className] ?? 0, $0.total) }
        for (name, total) in oldTypes where !newTypes.contains(where: { $0.className == name }) { types.append((name, total, 0)) }
        let moved = types.filter { $0.1 != $0.2 }
        let shownTypes = Array((moved.isEmpty ? types : moved).prefix(12))
        heading("Parameters by layer type, old and new")
        caption(moved.isEmpty ? "No layer type's parameters changed; the types with parameters, largest first."
                : "The layer types whose parameters changed (\(moved.count) of \(types.count)), the old count above the new.")
        if !shownTypes.isEmpty { place(BarChart(series: series, bars: shownTypes.flatMap { pair($0.0, $0.1, $0.2) { Formatting.count($0) } })) }

        // By layer: added, removed and changed layers whose parameter count moved.
        var oldParams: [String: Int] = [:], newParams: [String: Int] = [:]
        func collect(_ rows: [LayerRow], _ prefix: String, into: inout [String: Int]) {
            for r in rows { into[prefix + r.name] = r.params ?? 0; collect(r.children, prefix + r.name + "/", into: &into) }
        }
        collect(old.rows, "", into: &oldParams)
        collect(new.rows, "", into: &newParams)
        var layerBars: [(String, Int, Int)] = []
        for l in d.added where (newParams[l.name] ?? 0) > 0 { layerBars.append((l.name + " (added)", 0, newParams[l.name]!)) }
        for l in d.removed where (oldParams[l.name] ?? 0) > 0 { layerBars.append((l.name + " (removed)", oldParams[l.name]!, 0)) }
        let inverse = Dictionary(d.nameMap.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
        for c in d.changed where c.changes.contains(where: { $0.field == "params" }) {
            layerBars.append((c.name, oldParams[inverse[c.name] ?? c.name] ?? 0, newParams[c.name] ?? 0))
        }
        layerBars.sort { abs($0.2 - $0.1) > abs($1.2 - $1.1) }
        if !layerBars.isEmpty {
            heading("Parameters of the layers that changed")
            caption("The \(min(layerBars.count, 15)) layers whose parameter count moved most (of \(layerBars.count)), old above new.")
            place(BarChart(series: series, bars: layerBars.prefix(15).flatMap { pair($0.0, $0.1, $0.2) { Formatting.count($0) } }))
        }

        if let l = latency {
            let movedLayers = l.layers.filter(\.measurable).sorted { abs($0.deltaMs) > abs($1.deltaMs) }
            heading("Latency by layer, old and new")
            caption("Median time per layer over \(Formatting.plural(l.new.instrumentedRuns, "instrumented run")) of each model, timed alternately. "
                    + "\(movedLayers.count) of \(l.layers.count) layers moved by more than their noise (the larger interquartile range); the \(min(15, movedLayers.count)) that moved most:")
            if !movedLayers.isEmpty {
                let us = { (ms: Double?) in Int(((ms ?? 0) * 1000).rounded()) }
                var chart = BarChart(series: series, bars: movedLayers.prefix(15).flatMap { m -> [BarChart.Bar] in
                    [BarChart.Bar(label: m.name + " · old", values: [us(m.oldMs), 0], valueLabel: m.oldMs.map(duration) ?? "not in the old model"),
                     BarChart.Bar(label: m.name + " · new", values: [0, us(m.newMs)],
                                  valueLabel: (m.newMs.map(duration) ?? "removed") + "  (" + latencyChange(m.deltaMs, oldMs: m.oldMs, noiseMs: m.noiseMs) + ")")]
                })
                chart.tickText = .millisecondsFromMicroseconds
                place(chart)
            }
        }
    }
}
