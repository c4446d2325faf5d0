import ModelKit

/// The report's first page(s): what the model is, its headline figures, the four layer
/// counts with their definitions, the generated explanation and parameters by layer type.
/// Text keeps its size; whatever does not fit continues on a second page.
public enum SummaryPage {
    /// One headline figure: a caption, the figure, and a note saying what it counts.
    public struct Figure: Hashable, Sendable {
        public var label: String
        public var value: String
        public var note: String
        public init(label: String, value: String, note: String) {
            self.label = label
            self.value = value
            self.note = note
        }
    }

    /// The four layer counts with the same one-line definitions as `SummaryText`'s
    /// "How many layers? Four honest answers" block; the first is the format's own count,
    /// in its reader's words.
    public static func layerCounts(_ a: ModelAnalysis) -> [(count: Int, definition: String)] {
        let c = a.counts
        return [(c.topLevelLayers, a.source.conventions.layerCountLabel),
         (c.withWeights, "\(a.source.conventions.unitName)s that own weights"),
         (c.withKernel, a.source.conventions.kernelCountLabel),
         (c.depth, "depth: the most kernel \(a.source.conventions.unitName)s on any path from input to output")]
    }

    /// The input shapes without the batch dimension: `(32, 32, 3)`.
    static func inputText(_ a: ModelAnalysis) -> String {
        let shapes = a.inputs.map { $0.shape.map { TensorShape(Array($0.dims.dropFirst())).description } ?? "?" }
        return shapes.isEmpty ? "?" : shapes.joined(separator: " and ")
    }

    /// The headline figures, in reading order. The latency figure appears only when a
    /// timing is given.
    public static func figures(_ doc: ReportDocument, latency: LatencyFigure? = nil) -> [Figure] {
        let a = doc.analysis
        let t = a.totals
        var paramsNote = a.source.conventions.parameterShortNote
        if !t.layersWithUnknownParams.isEmpty {
            paramsNote += "; \(Formatting.plural(t.layersWithUnknownParams.count, "layer")) of unknown size not counted"
        }
        var out = [
            Figure(label: "Parameters", value: Formatting.count(t.params), note: paramsNote),
            Figure(label: "Trainable", value: Formatting.count(t.trainableParams), note: "learned by the optimizer"),
            Figure(label: "Non-trainable", value: Formatting.count(t.nonTrainableParams),
                   note: a.source.conventions.nonTrainableNote),
        ]
        if let macs = t.macs {
            out.append(Figure(label: "MACs at batch 1", value: Formatting.si(macs),
                              note: "multiply-accumulates for one input \(inputText(a)); about \(Formatting.si(macs.multipliedReportingOverflow(by: 2).partialValue)) FLOPs (2 × MACs)"))
        } else if a.inputs.contains(where: { $0.shape?.dims.dropFirst().contains(nil) ?? true }) {
            let inputs = a.inputs.map { $0.shape?.formatted(unknown: a.source.conventions.unknownDimension) ?? "?" }.joined(separator: ", ")
            out.append(Figure(label: "MACs at batch 1", value: "unknown", note: "input \(inputs) leaves dimensions open (state them with --input-shape or --dim NAME=SIZE)"))
        } else {
            out.append(Figure(label: "MACs at batch 1", value: "unknown", note: "some layers' shapes or costs are unknown"))
        }
        out.append(Figure(label: "Weight memory", value: Formatting.bytes(t.weightBytes), note: "the weights in their stored dtypes"))
        out.append(Figure(label: "Peak activation memory", value: Formatting.bytes(t.peakActivationBytes),
                          note: "intermediate results alive at once, batch 1, in execution order"))
        if let l = latency {
            var note = "one forward pass on the CPU at batch 1, \(Formatting.plural(l.threads, "thread"))"
            if let runs = l.runs { note += ", median of \(Formatting.plural(runs, "run"))" }
            out.append(Figure(label: "CPU latency (median)", value: l.medianText, note: note))
        }
        return out
    }

    /// The summary page, and a continuation page when the content is longer than one page.
    public static func layout(_ doc: ReportDocument, latency: LatencyFigure? = nil, measurer: any TextMeasurer,
                              theme: Theme = .standard, geometry: PageGeometry = .a4Portrait, byType: Bool = true) -> [Scene] {
        let a = doc.analysis
        let tw = TextWrapper(measurer: measurer)
        let width = geometry.content.width
        let muted = TextStyle(size: theme.bodyStyle.size, color: theme.mutedText)

        func lines(_ text: String, _ style: TextStyle, width w: Double = width, x: Double = 0) -> [SceneBlock] {
            let h = tw.lineHeight(style)
            return tw.wrap(text, style: style, width: w - x).map {
                SceneBlock(height: h, primitives: [.text($0, origin: Point(x, 0), style: style, anchor: .start)])
            }
        }
        func heading(_ text: String) -> SceneBlock {
            let h = tw.lineHeight(theme.headingStyle)
            return SceneBlock(height: h + 4, primitives: [.text(tw.truncate(text, style: theme.headingStyle, width: width), origin: Point(0, 0), style: theme.headingStyle, anchor: .start)])
        }

        let continued = SceneBlock(height: tw.lineHeight(theme.smallStyle), primitives: [
            .text(tw.truncate("\(doc.displayName): summary (continued)", style: theme.smallStyle, width: width), origin: Point(0, 0), style: theme.smallStyle, anchor: .start),
        ])
        var flow = PageFlow(geometry: geometry, title: "\(doc.displayName): summary", continuedTitle: "\(doc.displayName): summary (continued)",
                            continuationHeading: continued)

        // Identity: name, file, format, run date, Strata version.
        for b in lines(doc.displayName, theme.titleStyle) { flow.place(b) }
        flow.space(4)
        for b in lines("File: \(a.source.file)", muted) { flow.place(b) }
        var format = "\(a.modelClass) model · \(a.source.format) · \(a.source.dialect)"
        if let v = a.source.formatVersion { format += " · \(a.source.conventions.formatName) \(v)" }
        for b in lines(format, muted) { flow.place(b) }
        let run = (doc.generatedAt.map { "Generated \($0) by " } ?? "Generated by ") + "Strata \(doc.strataVersion)"
        for b in lines(run, muted) { flow.place(b) }
        flow.space(6)
        flow.place(SceneBlock(height: 1, primitives: [.line([Point(0, 0.5), Point(width, 0.5)], stroke: theme.rule, lineWidth: 1, dash: [])]), spacing: 10)

        // Headline figures, three to a row.
        for row in gridRows(figures(doc, latency: latency), width: width, wrapper: tw, theme: theme) { flow.place(row, spacing: 6) }
        flow.space(8)

        // The four layer counts.
        let countStyle = TextStyle(size: 11, weight: .bold, color: theme.text)
        let countColumn = max(36, (layerCounts(a).map { tw.width(Formatting.count($0.count), countStyle) }.max() ?? 0) + 8)
        var countBlocks: [SceneBlock] = []
        for (n, definition) in layerCounts(a) {
            let defLines = tw.wrap(definition, style: theme.bodyStyle, width: width - countColumn - 8)
            let lh = tw.lineHeight(theme.bodyStyle)
            let h = max(tw.lineHeight(countStyle), Double(defLines.count) * lh) + 3
            var prims: [Primitive] = [.text(Formatting.count(n), origin: Point(countColumn, 0), style: countStyle, anchor: .end)]
            let dy = (tw.lineHeight(countStyle) - lh) / 2
            for (i, l) in defLines.enumerated() {
                prims.append(.text(l, origin: Point(countColumn + 8, dy + Double(i) * lh), style: theme.bodyStyle, anchor: .start))
            }
            countBlocks.append(SceneBlock(height: h, primitives: prims))
        }
        let countsHeading = heading("How many \(a.source.conventions.unitName)s? Four honest answers")
        flow.ensure(countsHeading.height + countBlocks.reduce(0) { $0 + $1.height })
        flow.place(countsHeading, spacing: 2)
        for b in countBlocks { flow.place(b) }
        flow.space(10)

        // The explanation.
        let explanation = Explanation.paragraphs(a).map { lines($0, theme.bodyStyle) }
        let what = heading("What this means")
        flow.ensure(what.height + (explanation.first?.prefix(3).reduce(0) { $0 + $1.height } ?? 0))
        flow.place(what, spacing: 2)
        for paragraph in explanation {
            for b in paragraph { flow.place(b) }
            flow.space(5)
        }
        flow.space(5)

        // Parameters by layer type (unless the caller puts it on the parameters page).
        if byType {
            let section = byTypeSection(a, width: width, measurer: measurer, theme: theme)
            flow.ensure(section.height)
            flow.place(section, spacing: 10)
        }

        // Diagnostics, when the analysis has any.
        if !a.diagnostics.isEmpty {
            let d = heading("Diagnostics")
            let items = a.diagnostics.map { lines("\($0.severity.rawValue) [\($0.id)] \($0.message)", theme.smallStyle) }
            flow.ensure(d.height + (items.first?.first?.height ?? 0))
            flow.place(d, spacing: 2)
            for item in items { for b in item { flow.place(b) }; flow.space(2) }
        }
        return flow.pages
    }

    /// "Parameters by layer type": heading, caption and the stacked bar chart, as one block
    /// (it is never split across pages).
    public static func byTypeSection(_ a: ModelAnalysis, width: Double, measurer: any TextMeasurer, theme: Theme = .standard) -> SceneBlock {
        let tw = TextWrapper(measurer: measurer)
        var prims: [Primitive] = []
        var y = 0.0
        prims.append(.text(tw.truncate("Parameters by layer type", style: theme.headingStyle, width: width), origin: Point(0, 0), style: theme.headingStyle, anchor: .start))
        y += tw.lineHeight(theme.headingStyle) + 4 + 2
        var caption = "Parameters summed over the layers of each class (×: how many layers), largest first; trainable and non-trainable stacked."
        let weightless = ParametersByType.weightlessClasses(a)
        if !weightless.isEmpty {
            caption += " \(Formatting.list(weightless)) \(weightless.count == 1 ? "owns" : "own") no parameters."
        }
        for line in tw.wrap(caption, style: theme.smallStyle, width: width) {
            prims.append(.text(line, origin: Point(0, y), style: theme.smallStyle, anchor: .start))
            y += tw.lineHeight(theme.smallStyle)
        }
        y += 6
        let chartBars = ParametersByType.bars(a)
        let chart = chartBars.isEmpty
            ? SceneBlock(height: tw.lineHeight(theme.bodyStyle), primitives: [.text("No layer owns parameters.", origin: Point(0, 0), style: theme.bodyStyle, anchor: .start)])
            : BarChart(series: ParameterChart.series(theme), bars: chartBars).layout(width: width, measurer: measurer, theme: theme)
        prims += chart.translated(0, y)
        return SceneBlock(height: y + chart.height, primitives: prims)
    }

    /// Headline figures as grid rows of up to three cells: caption, figure, wrapped note.
    static func gridRows(_ figures: [Figure], width: Double, wrapper tw: TextWrapper, theme: Theme) -> [SceneBlock] {
        let columns = 3, gap = 8.0, pad = 6.0
        let cellWidth = (width - gap * Double(columns - 1)) / Double(columns)
        let labelStyle = TextStyle(size: 8, weight: .bold, color: theme.mutedText)
        let valueStyle = TextStyle(size: 15, weight: .bold, color: theme.text)
        let noteStyle = theme.smallStyle
        var rows: [SceneBlock] = []
        for start in stride(from: 0, to: figures.count, by: columns) {
            let cells = figures[start..<min(start + columns, figures.count)]
            let notes = cells.map { tw.wrap($0.note, style: noteStyle, width: cellWidth - 2 * pad) }
            let noteLines = notes.map(\.count).max() ?? 0
            let height = pad + tw.lineHeight(labelStyle) + 2 + tw.lineHeight(valueStyle) + 2 + Double(noteLines) * tw.lineHeight(noteStyle) + pad
            var prims: [Primitive] = []
            for (i, (f, noteText)) in zip(cells, notes).enumerated() {
                let x = Double(i) * (cellWidth + gap)
                prims.append(.rect(Rect(x, 0, cellWidth, height), fill: theme.weightlessFill, stroke: theme.rule, lineWidth: 0.75, cornerRadius: 4))
                var y = pad
                prims.append(.text(tw.truncate(f.label, style: labelStyle, width: cellWidth - 2 * pad), origin: Point(x + pad, y), style: labelStyle, anchor: .start))
                y += tw.lineHeight(labelStyle) + 2
                prims.append(.text(tw.truncate(f.value, style: valueStyle, width: cellWidth - 2 * pad), origin: Point(x + pad, y), style: valueStyle, anchor: .start))
                y += tw.lineHeight(valueStyle) + 2
                for line in noteText {
                    prims.append(.text(line, origin: Point(x + pad, y), style: noteStyle, anchor: .start))
                    y += tw.lineHeight(noteStyle)
                }
            }
            rows.append(SceneBlock(height: height, primitives: prims))
        }
        return rows
    }
}
