import ModelKit

/// Parameters per layer as horizontal bars, largest first, trainable and non-trainable
/// stacked; beyond `limit` bars the smallest layers fold into one bar "N other layers", so
/// the bars always sum to the model's total. Nested models are opened: their layers are
/// bars of their own, named `outer/inner`.
public enum ParameterChart {
    public static let defaultLimit = 30

    /// The two stacked series, in `BarChart.Bar.values` order.
    public static func series(_ theme: Theme) -> [BarChart.Series] {
        [BarChart.Series(name: "trainable", color: theme.barTrainable),
         BarChart.Series(name: "non-trainable", color: theme.barNonTrainable),
         BarChart.Series(name: "trainable or not: not recorded", color: theme.barOld, inLegendOnlyWhenUsed: true)]
    }

    /// `2,359,808`, `960 (480 non-trainable)`, or `78 (split not recorded)`.
    static func valueLabel(trainable: Int, nonTrainable: Int, unknown: Int = 0) -> String {
        Formatting.count(trainable + nonTrainable + unknown)
            + (unknown > 0 ? " (\(unknown == trainable + nonTrainable + unknown ? "" : Formatting.count(unknown) + " ")split not recorded)"
               : nonTrainable > 0 ? " (\(Formatting.count(nonTrainable)) non-trainable)" : "")
    }

    /// A row's parameters as (trainable, non-trainable, split not recorded).
    static func split(_ r: LayerRow) -> (Int, Int, Int) {
        guard let p = r.params else { return (0, 0, 0) }
        guard let t = r.trainableParams, let n = r.nonTrainableParams else { return (0, 0, p) }
        return (t, n, 0)
    }

    /// Leaf layers with their path names (`outer/inner` inside nested models), in model order.
    static func leaves(_ rows: [LayerRow], prefix: String = "") -> [(name: String, row: LayerRow)] {
        rows.flatMap { r in
            r.children.isEmpty ? [(prefix + r.name, r)] : leaves(r.children, prefix: prefix + r.name + "/")
        }
    }

    /// The bars: every layer with parameters (unknown counts left out, as the totals leave
    /// them out), largest first, ties in model order; more than `limit` layers keep the
    /// `limit - 1` largest and fold the rest into one bar.
    public static func bars(_ a: ModelAnalysis, limit: Int = defaultLimit) -> [BarChart.Bar] {
        let weighted = leaves(a.rows).enumerated().compactMap { (i, l) -> (Int, String, LayerRow, Int)? in
            guard let p = l.row.params, p > 0 else { return nil }
            return (i, l.name, l.row, p)
        }.sorted { $0.3 != $1.3 ? $0.3 > $1.3 : $0.0 < $1.0 }
        let fold = weighted.count > max(1, limit)
        let shown = fold ? Array(weighted.prefix(max(1, limit) - 1)) : weighted
        var out = shown.map { (_, name, row, _) -> BarChart.Bar in
            let (t, n, u) = split(row)
            return BarChart.Bar(label: "\(name) (\(row.className))", values: [t, n, u], valueLabel: valueLabel(trainable: t, nonTrainable: n, unknown: u))
        }
        if fold {
            let rest = weighted.dropFirst(shown.count)
            let t = rest.reduce(0) { $0 + split($1.2).0 }
            let n = rest.reduce(0) { $0 + split($1.2).1 }
            let u = rest.reduce(0) { $0 + split($1.2).2 }
            out.append(BarChart.Bar(label: "\(rest.count) other layers", values: [t, n, u], valueLabel: valueLabel(trainable: t, nonTrainable: n, unknown: u)))
        }
        return out
    }

    public static func chart(_ a: ModelAnalysis, theme: Theme, limit: Int = defaultLimit) -> BarChart {
        BarChart(series: series(theme), bars: bars(a, limit: limit))
    }

    /// One sentence under the title: what the bars show and that they sum to the total.
    static func caption(_ a: ModelAnalysis, bars: [BarChart.Bar], limit: Int) -> String {
        let weighted = leaves(a.rows).filter { ($0.row.params ?? 0) > 0 }.count
        var s = "\(Formatting.plural(weighted, "layer")) own\(weighted == 1 ? "s" : "") parameters; largest first"
        if weighted > bars.count {
            s += ", the \(weighted - bars.count + 1) smallest folded into the last bar"
        }
        s += ". Trainable and non-trainable parameters are stacked; the bars sum to the model's \(Formatting.count(a.totals.params)) parameters (\(a.source.conventions.formatName)'s count)."
        if !a.totals.layersWithUnknownParams.isEmpty {
            s += " Not counted (unknown): \(Formatting.list(a.totals.layersWithUnknownParams.prefix(4).map { $0 }))\(a.totals.layersWithUnknownParams.count > 4 ? " and others" : "")."
        }
        return s
    }

    /// Title, caption and chart stacked at `width`.
    static func block(_ a: ModelAnalysis, width: Double, measurer: any TextMeasurer, theme: Theme, limit: Int) -> SceneBlock {
        let tw = TextWrapper(measurer: measurer)
        var prims: [Primitive] = []
        var y = 0.0
        let title = tw.truncate("Parameters per layer", style: theme.headingStyle, width: width)
        prims.append(.text(title, origin: Point(0, y), style: theme.headingStyle, anchor: .start))
        y += tw.lineHeight(theme.headingStyle) + 4
        let bars = bars(a, limit: limit)
        for line in tw.wrap(caption(a, bars: bars, limit: limit), style: theme.smallStyle, width: width) {
            prims.append(.text(line, origin: Point(0, y), style: theme.smallStyle, anchor: .start))
            y += tw.lineHeight(theme.smallStyle)
        }
        y += 8
        if bars.isEmpty {
            prims.append(.text("No layer owns parameters.", origin: Point(0, y), style: theme.bodyStyle, anchor: .start))
            return SceneBlock(height: y + tw.lineHeight(theme.bodyStyle), primitives: prims)
        }
        let chart = BarChart(series: series(theme), bars: bars).layout(width: width, measurer: measurer, theme: theme)
        prims += chart.translated(0, y)
        return SceneBlock(height: y + chart.height, primitives: prims)
    }

    /// The chart as a PDF page (content only; `ReportPages` adds the footer).
    public static func page(_ a: ModelAnalysis, measurer: any TextMeasurer, theme: Theme = .standard,
                            geometry: PageGeometry = .a4Portrait, limit: Int = defaultLimit, below: SceneBlock? = nil) -> Scene {
        let c = geometry.content
        let b = block(a, width: c.width, measurer: measurer, theme: theme, limit: limit)
        var prims = b.translated(c.x, c.y)
        // A section moved here from the summary (parameters by layer type), below the chart.
        if let below { prims += below.translated(c.x, c.y + b.height + belowGap) }
        return Scene(size: geometry.size, title: "\(a.modelName): parameters per layer",
                     description: "Parameters per layer of \(a.modelName), largest first", primitives: prims)
    }

    /// Space between the chart and a section placed below it.
    public static let belowGap = 20.0

    /// The height the page's chart takes.
    public static func height(_ a: ModelAnalysis, measurer: any TextMeasurer, theme: Theme = .standard,
                              geometry: PageGeometry = .a4Portrait, limit: Int = defaultLimit) -> Double {
        block(a, width: geometry.content.width, measurer: measurer, theme: theme, limit: limit).height
    }

    /// The same chart sized for a wiki page (`params.svg`): `width` wide, as tall as its bars.
    public static func standalone(_ a: ModelAnalysis, measurer: any TextMeasurer, theme: Theme = .standard,
                                  width: Double = 720, margin: Double = 16, limit: Int = defaultLimit) -> Scene {
        let b = block(a, width: width - 2 * margin, measurer: measurer, theme: theme, limit: limit)
        var prims: [Primitive] = [.rect(Rect(0, 0, width, b.height + 2 * margin), fill: theme.background, stroke: nil, lineWidth: 0, cornerRadius: 0)]
        prims += b.translated(margin, margin)
        return Scene(size: Size(width, (b.height + 2 * margin).rounded(.up)), title: "\(a.modelName): parameters per layer",
                     description: "Parameters per layer of \(a.modelName), largest first; bars sum to \(Formatting.count(a.totals.params)).",
                     primitives: prims)
    }
}
