import ModelKit

/// The layer table over as many pages as it needs: one row per layer (nested models' layers
/// indented beneath their model), the header repeated on every page, "k of n" in each page's
/// heading, and on the last page the totals and the format's counting convention. Long texts
/// are cut with "…" by measured width; the diagram pages carry the full names.
public enum LayerTablePages {
    /// One table row as text.
    public struct Row: Hashable, Sendable {
        /// `3`, or `3.2` for the second layer inside the model of row 3.
        public var number: String
        /// Nesting depth: 0 for `model.layers`, 1 inside a nested model, ...
        public var depth: Int
        public var name: String
        public var className: String
        public var outputShape: String
        public var params: String
        public var trainable: String
        public var nonTrainable: String
        public var macs: String
        public var connectedTo: String
    }

    /// The rows in table order (depth-first, nested rows after their model's row).
    public static func rows(_ a: ModelAnalysis) -> [Row] {
        func walk(_ rows: [LayerRow], prefix: String, depth: Int) -> [Row] {
            rows.enumerated().flatMap { (i, r) -> [Row] in
                let number = prefix + String(i + 1)
                var connected: [String] = []
                for (ci, names) in r.inboundPerCall.enumerated() where !names.isEmpty {
                    connected.append((r.calls > 1 ? "#\(ci): " : "") + names.joined(separator: ", "))
                }
                let row = Row(number: number, depth: depth, name: r.name,
                              className: r.className + (r.supported ? "" : " (unsupported)"),
                              outputShape: r.outputShapes.isEmpty ? "-" : r.outputShapes.map { $0?.formatted(unknown: a.source.conventions.unknownDimension) ?? "?" }.joined(separator: ", "),
                              params: Formatting.count(r.params), trainable: Formatting.count(r.trainableParams),
                              nonTrainable: Formatting.count(r.nonTrainableParams), macs: Formatting.si(r.macs),
                              connectedTo: connected.isEmpty ? "-" : connected.joined(separator: "; "))
                return [row] + walk(r.children, prefix: number + ".", depth: depth + 1)
            }
        }
        let table = walk(a.rows, prefix: "", depth: 0)
        // Rows grouped by module (the exporter's names) or by repeated block: a heading row
        // where one begins, so every layer is found with its block.
        let modules = ModuleGroups.headings(a.rows)
        let blocks = modules.allSatisfy { $0 == nil } ? BlockOverview.headings(a) : modules.map { _ in nil }
        let headings = zip(modules, blocks).map { $0 ?? $1 }
        var out: [Row] = []
        var index = 0
        for row in table {
            if row.depth == 0, index < headings.count {
                if let heading = headings[index] {
                    out.append(Row(number: "", depth: 0, name: "▸ " + heading, className: "", outputShape: "",
                                   params: "", trainable: "", nonTrainable: "", macs: "", connectedTo: ""))
                }
                index += 1
            }
            out.append(row)
        }
        return out
    }

    /// The sentences under the totals: the format's counting convention (its reader's
    /// `parameterNote`) and what the columns mean.
    public static func conventionNote(_ a: ModelAnalysis) -> String {
        var s = a.source.conventions.parameterNote
        s += " MACs are multiply-accumulates at batch 1 over all calls of a layer (FLOPs ≈ 2 × MACs); ? marks a figure Strata could not determine."
        if !a.totals.layersWithUnknownParams.isEmpty {
            s += " The totals leave out \(Formatting.plural(a.totals.layersWithUnknownParams.count, "layer")) of unknown size."
        }
        return s
    }

    struct Column {
        var title: String
        var width: Double
        var alignEnd: Bool
        var cell: (Row) -> String
    }

    /// The table's pages (content only; `ReportPages` adds the footer).
    public static func layout(_ doc: ReportDocument, measurer: any TextMeasurer, theme: Theme = .standard,
                              geometry: PageGeometry = .a4Landscape) -> [Scene] {
        let a = doc.analysis
        let tw = TextWrapper(measurer: measurer)
        let c = geometry.content
        let cellStyle = TextStyle(size: 7, color: theme.text)
        let headerStyle = TextStyle(size: 7, weight: .bold, color: theme.text)
        let totalStyle = TextStyle(size: 7, weight: .bold, color: theme.text)
        let gap = 10.0, indent = 8.0
        let rowHeight = tw.lineHeight(cellStyle) + 3
        let all = rows(a)
        let t = a.totals
        let totals = Row(number: "", depth: 0, name: "Total", className: "", outputShape: "", params: Formatting.count(t.params),
                         trainable: Formatting.count(t.trainableParams), nonTrainable: Formatting.count(t.nonTrainableParams),
                         macs: Formatting.si(t.macs), connectedTo: "")

        // Column widths: numbers as wide as their widest entry, text columns capped, the
        // name and connected-to columns share what is left.
        func widest(_ title: String, _ f: (Row) -> String, cap: Double = .infinity) -> Double {
            let cellsWidth = all.map { tw.width(f($0), cellStyle) }.max() ?? 0
            return min(cap, max(tw.width(title, headerStyle), tw.width(f(totals), totalStyle), cellsWidth))
        }
        var columns = [
            Column(title: "#", width: widest("#", \.number), alignEnd: true, cell: \.number),
            Column(title: "Layer", width: 0, alignEnd: false, cell: \.name),
            Column(title: "Class", width: widest("Class", \.className, cap: 110), alignEnd: false, cell: \.className),
            Column(title: "Output shape", width: widest("Output shape", \.outputShape, cap: 120), alignEnd: false, cell: \.outputShape),
            Column(title: "Params", width: widest("Params", \.params), alignEnd: true, cell: \.params),
            Column(title: "Trainable", width: widest("Trainable", \.trainable), alignEnd: true, cell: \.trainable),
            Column(title: "Non-trainable", width: widest("Non-trainable", \.nonTrainable), alignEnd: true, cell: \.nonTrainable),
            Column(title: "MACs", width: widest("MACs", \.macs), alignEnd: true, cell: \.macs),
            Column(title: "Connected to", width: 0, alignEnd: false, cell: \.connectedTo),
        ]
        let fixed = columns.reduce(0) { $0 + $1.width } + gap * Double(columns.count - 1)
        let free = max(80, c.width - fixed)
        let nameWanted = all.map { tw.width($0.name, cellStyle) + Double($0.depth) * indent }.max() ?? 0
        let connectedWanted = all.map { tw.width($0.connectedTo, cellStyle) }.max() ?? 0
        let nameWidth = min(nameWanted, max(free * 0.5, free - connectedWanted))
        columns[1].width = max(nameWidth, tw.width("Layer", headerStyle))
        columns[8].width = max(free - columns[1].width, tw.width("Connected to", headerStyle))
        var xs: [Double] = []
        var x = 0.0
        for col in columns { xs.append(x); x += col.width + gap }

        func cells(_ row: Row, style: TextStyle, y: Double) -> [Primitive] {
            var out: [Primitive] = []
            for (i, col) in columns.enumerated() {
                let inset = i == 1 ? Double(row.depth) * indent : 0
                let text = tw.truncate(col.cell(row), style: style, width: col.width - inset)
                if text.isEmpty { continue }
                let origin = Point(c.x + xs[i] + (col.alignEnd ? col.width : inset), y)
                out.append(.text(text, origin: origin, style: style, anchor: col.alignEnd ? .end : .start))
            }
            return out
        }

        // Vertical budget: heading and header on every page; the trailer (totals and note)
        // on the last.
        let headingHeight = tw.lineHeight(theme.headingStyle) + 6
        let headerHeight = rowHeight + 2
        let noteStyle = theme.smallStyle
        let noteLines = tw.wrap(conventionNote(a), style: noteStyle, width: c.width)
        let trailerHeight = 3 + rowHeight + 4 + Double(noteLines.count) * tw.lineHeight(noteStyle)
        let capacity = max(1, Int((c.height - headingHeight - headerHeight) / rowHeight))
        let trailerRows = Int((trailerHeight / rowHeight).rounded(.up))
        var chunks: [ArraySlice<Row>] = []
        var start = 0
        while true {
            let left = all.count - start
            if left + trailerRows <= capacity || left == 0 {
                chunks.append(all[start...])
                break
            }
            let take = left > capacity ? capacity : max(1, capacity - trailerRows)
            chunks.append(all[start..<(start + min(take, left))])
            start += min(take, left)
        }

        var pages: [Scene] = []
        for (k, chunk) in chunks.enumerated() {
            var prims: [Primitive] = []
            var y = c.y
            let unit = doc.analysis.source.conventions.unitName.capitalized
            let heading = chunks.count > 1 ? "\(unit)s (\(k + 1) of \(chunks.count))" : "\(unit)s"
            prims.append(.text(heading, origin: Point(c.x, y), style: theme.headingStyle, anchor: .start))
            y += headingHeight
            prims += cells(Row(number: "#", depth: 0, name: unit, className: unit == "Node" ? "Op type" : "Class", outputShape: "Output shape", params: "Params",
                               trainable: "Trainable", nonTrainable: "Non-trainable", macs: "MACs", connectedTo: "Connected to"),
                           style: headerStyle, y: y)
            y += rowHeight
            prims.append(.line([Point(c.x, y), Point(c.maxX, y)], stroke: theme.edge, lineWidth: 0.75, dash: []))
            y += 2
            for (i, row) in chunk.enumerated() {
                if i % 2 == 1 {
                    prims.append(.rect(Rect(c.x, y, c.width, rowHeight), fill: theme.weightlessFill, stroke: nil, lineWidth: 0, cornerRadius: 0))
                }
                prims += cells(row, style: cellStyle, y: y + 1.5)
                y += rowHeight
            }
            if k == chunks.count - 1 {
                prims.append(.line([Point(c.x, y + 1), Point(c.maxX, y + 1)], stroke: theme.edge, lineWidth: 0.75, dash: []))
                y += 3
                prims += cells(totals, style: totalStyle, y: y + 1.5)
                y += rowHeight + 4
                for line in noteLines {
                    prims.append(.text(line, origin: Point(c.x, y), style: noteStyle, anchor: .start))
                    y += tw.lineHeight(noteStyle)
                }
            }
            let title = "\(a.modelName): layers" + (chunks.count > 1 ? " (\(k + 1) of \(chunks.count))" : "")
            pages.append(Scene(size: geometry.size, title: title, primitives: prims))
        }

        // Names the table had to shorten appear in full on a page of their own, so every
        // layer name is real, searchable text in the PDF.
        let shortened = all.filter { row in
            !row.number.isEmpty && tw.truncate(row.name, style: cellStyle, width: columns[1].width - Double(row.depth) * indent) != row.name
        }
        if !shortened.isEmpty {
            let bodyStyle = theme.monoStyle
            let lineHeight = tw.lineHeight(bodyStyle)
            var prims: [Primitive] = []
            var y = c.y
            func startPage(_ heading: String) {
                prims = [.text(heading, origin: Point(c.x, c.y), style: theme.headingStyle, anchor: .start)]
                y = c.y + headingHeight
            }
            startPage("Layer names in full")
            for row in shortened {
                let lines = tw.wrap("#\(row.number) \(row.name)", style: bodyStyle, width: c.width)
                if y + Double(lines.count) * lineHeight > c.maxY {
                    pages.append(Scene(size: geometry.size, title: "\(a.modelName): layer names", primitives: prims))
                    startPage("Layer names in full (continued)")
                }
                for line in lines {
                    prims.append(.text(line, origin: Point(c.x, y), style: bodyStyle, anchor: .start))
                    y += lineHeight
                }
                y += 2
            }
            pages.append(Scene(size: geometry.size, title: "\(a.modelName): layer names", primitives: prims))
        }
        return pages
    }
}
