import CairoRendering
import Foundation
import GraphvizLayout
import ModelKit
import Reporting

/// Renders one model's pictures and PDF from its `ReportDocument`: `report.pdf`,
/// `diagram.svg`, `params.svg`, `latency.svg` when the model was timed and, when asked, PNGs of the same drawings. The nightly
/// batch calls the same code.
public struct ModelRenderer: Sendable {
    /// The output formats `strata render` knows.
    public enum Format: String, CaseIterable, Sendable { case pdf, svg, png }

    public var formats: Set<Format>
    public var diagram: DiagramOptions
    public var measurer: any TextMeasurer
    /// The last diagram laid out, shared by copies of this renderer: the PDF and the SVG
    /// renderers of one report lay the diagram out once.
    let drawings = DiagramDrawings()

    public init(formats: Set<Format> = [.pdf, .svg], diagram: DiagramOptions = DiagramOptions(), measurer: any TextMeasurer = PangoTextMeasurer()) {
        self.formats = formats
        self.diagram = diagram
        self.measurer = measurer
    }

    /// What was rendered: file names with their bytes, and diagnostics from the layout
    /// (e.g. Graphviz failed and the fallback layout was used).
    public struct Output: Sendable {
        public var files: [(name: String, data: Data)]
        public var diagnostics: [Diagnostic]
        public var pageCount: Int
        /// The PDF's pages as drawn (for checks of the layout; empty without PDF).
        public var pages: [Scene] = []
    }

    /// Renders everything in memory; nothing is written, so a failure leaves no half output.
    public func render(_ doc: ReportDocument) throws -> Output {
        let a = doc.analysis
        let layout = DiagramLayout(measurer: measurer, engine: GraphvizLayoutEngine(), options: diagram)
        // A model built from repeated blocks: an overview (each run of blocks one box, filled
        // by its share of the parameters) and one diagram per block type; every layer only
        // with `detail: full`.
        let blocks = BlockStructure.detect(a)
        let grouped = BlockOverview.overviewAndGroups(a, blocks)
        /// The legend of boxes filled by their share of `what`.
        func shareLegend(_ what: String) -> [DiagramLayout.LegendEntry] {
            BlockOverview.shareSteps.map { DiagramLayout.LegendEntry("\($0.label) of \(what)", fill: $0.fill, stroke: Theme.standard.weightlessStroke, lineWidth: 0.7) }
        }
        /// A timed model: each box of an overview (boxes standing for the layers `groupOf`
        /// maps to them) also gives its time and its share of the per-layer times (which add
        /// up to 100 %), and with `shade: latency` is filled by that share. True when it is.
        func addTimes(_ l: inout DiagramLayout, groupOf: [String: String]) -> Bool {
            guard let timing = doc.timing else { return false }
            l.options.timeTotalMs = timing.layerSumMs
            l.options.boxTimes = BlockOverview.boxTimes(timing, groupOf: groupOf)
            return l.options.shade == .latency
        }
        var overviewLayout = layout
        overviewLayout.options.shadeByParamsOf = a.totals.params
        overviewLayout.options.paramsOnClassLine = true
        let byTime = grouped.map { addTimes(&overviewLayout, groupOf: $0.groupOf) } ?? false
        overviewLayout.legend = shareLegend(byTime ? "the time" : "parameters")
        overviewLayout.titleSuffix = ""
        // Every level is laid out once per model: the PDF and the SVG renderers of one report
        // share them (`drawings`).
        let blockOverview = grouped.map { o in drawings.drawing(of: a, level: "overview") { overviewLayout.diagram(o.analysis) } }
        var typeLayout = layout
        typeLayout.titleSuffix = ""
        // A block type too big for one page in full detail (a NASNet cell) is drawn with its
        // chains of layers folded.
        let chained = blockOverview == nil ? [] : BlockOverview.typeDetails(a, blocks, chains: true)
        let blockTypes = blockOverview == nil ? [] : BlockOverview.typeDetails(a, blocks).enumerated().map { i, t in
            drawings.drawing(of: a, level: "block-\(i + 1)") {
                var best = typeLayout.diagram(t)
                var bestPages = typeLayout.pages(best).scenes.count
                guard bestPages > 1 else { return best }
                // Then across the page when that takes fewer pages (a wide, shallow cell).
                var across = typeLayout
                across.options.direction = typeLayout.options.direction == .topToBottom ? .leftToRight : .topToBottom
                for (layout, rows) in [(typeLayout, chained[i]), (across, chained[i])] where bestPages > 1 {
                    let d = layout.diagram(rows)
                    let n = layout.pages(d).scenes.count
                    if n < bestPages { best = d; bestPages = n }
                }
                return best
            }
        }
        let full = blockOverview == nil || diagram.detail == .full
        // The layer-by-layer diagram: laid out only where it is drawn.
        var fullDrawing: Diagram?
        func drawing() -> Diagram {
            let d = drawings.drawing(of: a) { layout.diagram(a) }
            fullDrawing = d
            return d
        }
        // A model whose nodes group into modules: first the modules folded into one box each,
        // then the full diagram opening each module in its frame.
        // Timed, each module's box gives its time too (filled by its share with `shade: latency`).
        var moduleLayout = layout
        if blockOverview == nil, ModuleGroups.applies(a.rows), addTimes(&moduleLayout, groupOf: ModuleGroups.groupOf(a.rows)) {
            moduleLayout.legend = shareLegend("the time")
        }
        let overview = blockOverview == nil ? ModuleGroups.overview(a).map { m in drawings.drawing(of: a, level: "modules") { moduleLayout.diagram(m) } } : nil
        var files: [(String, Data)] = []
        var pageCount = 0
        var pdfPages: [Scene] = []
        if formats.contains(.pdf) {
            let folded = overview.map { moduleLayout.pages($0).scenes } ?? []
            var diagramPages = folded
            if let blockOverview {
                diagramPages += overviewLayout.pages(blockOverview).scenes
                diagramPages += typeLayout.packedPages(blockTypes)
            }
            if full { diagramPages += layout.pages(drawing()).scenes }
            let pages = ReportPages.assemble(doc, diagramPages: diagramPages, measurer: measurer)
            pageCount = pages.count
            pdfPages = pages
            let metadata = PDFMetadata(
                title: "\(doc.displayName): Strata report",
                subject: "Layers, shapes, parameters and cost of \(a.modelName) (\(a.source.file))",
                keywords: [a.source.conventions.formatName, a.modelClass, a.source.format],
                creator: "Strata \(doc.strataVersion)",
                date: doc.generatedAt ?? "1970-01-01T00:00:00Z")
            files.append(("report.pdf", try PDFWriter.data(pages: pages, metadata: metadata)))
        }
        // What the layouts said (a fallback layout), for every level drawn.
        func diagnostics() -> [Diagnostic] {
            ([overview, blockOverview].compactMap { $0 } + blockTypes + [fullDrawing].compactMap { $0 }).flatMap(\.diagnostics)
        }
        // The standalone pictures, for the SVG and PNG files only.
        guard formats.contains(.svg) || formats.contains(.png) else {
            return Output(files: files, diagnostics: diagnostics(), pageCount: pageCount, pages: pdfPages)
        }
        let diagramScene = layout.scene(drawing())
        let paramsScene = ParameterChart.standalone(a, measurer: measurer)
        let latencyScene = doc.timing.map { LatencyChart.standalone(doc, timing: $0, measurer: measurer) }
        if formats.contains(.svg) {
            files.append(("diagram.svg", try SVGWriter.data(scene: diagramScene, file: "diagram.svg")))
            if let overview { files.append(("modules.svg", try SVGWriter.data(scene: moduleLayout.scene(overview), file: "modules.svg"))) }
            if let blockOverview {
                files.append(("overview.svg", try SVGWriter.data(scene: overviewLayout.scene(blockOverview), file: "overview.svg")))
                for (i, t) in blockTypes.enumerated() {
                    files.append(("block-\(i + 1).svg", try SVGWriter.data(scene: typeLayout.scene(t), file: "block-\(i + 1).svg")))
                }
            }
            files.append(("params.svg", try SVGWriter.data(scene: paramsScene, file: "params.svg")))
            if let latencyScene { files.append(("latency.svg", try SVGWriter.data(scene: latencyScene, file: "latency.svg"))) }
        }
        if formats.contains(.png) {
            files.append(("diagram.png", try PNGWriter.data(scene: diagramScene, scale: PNGWriter.safeScale(for: diagramScene), file: "diagram.png")))
            files.append(("params.png", try PNGWriter.data(scene: paramsScene, scale: 2, file: "params.png")))
            if let latencyScene { files.append(("latency.png", try PNGWriter.data(scene: latencyScene, scale: 2, file: "latency.png"))) }
        }
        return Output(files: files, diagnostics: diagnostics(), pageCount: pageCount, pages: pdfPages)
    }

    /// Writes rendered files into `folder` (created if needed): each file goes to a temporary
    /// name first and is renamed into place, so a reader never sees half a file.
    public static func write(_ output: Output, to folder: String) throws -> [String] {
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw StrataError(file: folder, "cannot create the output folder: \(error.localizedDescription)")
        }
        var written: [String] = []
        for (name, data) in output.files {
            let final = (folder as NSString).appendingPathComponent(name)
            let temp = (folder as NSString).appendingPathComponent(".\(name).\(getpid()).tmp")
            guard fm.createFile(atPath: temp, contents: data) else {
                throw StrataError(file: final, "cannot be written (is the folder writable? is the disk full?)")
            }
            if rename(temp, final) != 0 {
                let reason = String(cString: strerror(errno))
                try? fm.removeItem(atPath: temp)
                throw StrataError(file: final, "cannot be put in place: \(reason)")
            }
            written.append(final)
        }
        return written
    }
}

extension PNGWriter {
    /// A scale that keeps a large diagram's PNG within Cairo's 32,767-pixel limit.
    static func safeScale(for scene: Scene) -> Double {
        let longest = max(scene.size.width, scene.size.height)
        return max(0.25, min(2, 30_000 / max(longest, 1)))
    }
}
