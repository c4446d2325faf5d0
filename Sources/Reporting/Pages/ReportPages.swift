import ModelKit

/// The PDF's pages in order: summary page(s), the diagram pages (laid out elsewhere and
/// passed in), the parameters-per-layer chart (with the summary's parameters by layer type
/// below it when that alone would take the summary onto a second page), the latency-per-layer chart when the model
/// was timed, the layer table; then a footer
/// "Strata <version> · <model> · page k of n" on every page, in its bottom margin.
public enum ReportPages {
    /// The footer text of page `k` (1-based) of `n`.
    public static func footer(_ doc: ReportDocument, page k: Int, of n: Int) -> String {
        "Strata \(doc.strataVersion) · \(doc.displayName) · page \(k) of \(n)"
    }

    /// All pages with footers. `diagramPages` are drawn by the diagram layout and must keep
    /// their bottom 40 pt free for the footer; `latency` is shown on the summary when given (by default the
    /// document's timing).
    public static func assemble(_ doc: ReportDocument, diagramPages: [Scene] = [], latency: LatencyFigure? = nil,
                                measurer: any TextMeasurer, theme: Theme = .standard,
                                portrait: PageGeometry = .a4Portrait, table: PageGeometry = LayerTablePages.geometry) -> [Scene] {
        let a = doc.analysis
        let latency = latency ?? doc.timing.map { LatencyFigure(medianSeconds: $0.medianMs / 1000, threads: $0.threads, runs: $0.runs) }
        var pages = SummaryPage.layout(doc, latency: latency, measurer: measurer, theme: theme, geometry: portrait)
        // When only "parameters by layer type" spills the summary onto a second page, it goes
        // below the parameters-per-layer chart instead, if there is room.
        var byType: SceneBlock?
        if pages.count == 2 {
            let shorter = SummaryPage.layout(doc, latency: latency, measurer: measurer, theme: theme, geometry: portrait, byType: false)
            let section = SummaryPage.byTypeSection(a, width: portrait.content.width, measurer: measurer, theme: theme)
            let room = portrait.content.height - ParameterChart.height(a, measurer: measurer, theme: theme, geometry: portrait) - ParameterChart.belowGap
            if shorter.count == 1 && section.height <= room {
                pages = shorter
                byType = section
            }
        }
        pages += diagramPages
        pages.append(ParameterChart.page(a, measurer: measurer, theme: theme, geometry: portrait, below: byType))
        if let timing = doc.timing {
            pages.append(LatencyChart.page(doc, timing: timing, measurer: measurer, theme: theme, geometry: portrait))
        }
        pages += LayerTablePages.layout(doc, measurer: measurer, theme: theme, geometry: table)
        return addFooters(pages, doc: doc, measurer: measurer, theme: theme)
    }

    /// Adds the footer to each page, centred in the bottom margin; a long model name is cut
    /// so the footer stays inside the page.
    public static func addFooters(_ pages: [Scene], doc: ReportDocument, measurer: any TextMeasurer, theme: Theme = .standard,
                                  margin: Double = 40) -> [Scene] {
        addFooters(pages, version: doc.strataVersion, name: doc.displayName, measurer: measurer, theme: theme, margin: margin)
    }

    /// "Strata <version> · <name> · page k of n" on each page, the name cut to fit.
    public static func addFooters(_ pages: [Scene], version: String, name: String, measurer: any TextMeasurer, theme: Theme = .standard,
                                  margin: Double = 40) -> [Scene] {
        let tw = TextWrapper(measurer: measurer)
        let style = theme.smallStyle
        return pages.enumerated().map { (i, page) in
            var p = page
            var text = "Strata \(version) · \(name) · page \(i + 1) of \(pages.count)"
            let room = page.size.width - 2 * margin
            if tw.width(text, style) > room {
                let fixed = tw.width("Strata \(version) ·  · page \(i + 1) of \(pages.count)", style)
                let short = tw.truncate(name, style: style, width: max(0, room - fixed))
                text = "Strata \(version) · \(short) · page \(i + 1) of \(pages.count)"
            }
            let top = page.size.height - margin + 6
            p.add(.line([Point(margin, top - 4), Point(page.size.width - margin, top - 4)], stroke: theme.rule, lineWidth: 0.5, dash: []))
            p.add(.text(text, origin: Point(page.size.width / 2, top), style: style, anchor: .middle))
            return p
        }
    }
}
