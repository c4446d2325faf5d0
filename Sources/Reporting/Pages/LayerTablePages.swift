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
        /// The `#` of each layer it reads (`12, 14`; a shared layer's calls split by `;`),
        /// or a name where the source has no row.
        public var inputs: String = ""
        /// The name as the PDF table shows it: under a block's heading, a name that begins
        /// with the block's name shows the rest (`…_pointwise_conv_2` under
        /// `convnext_base_stage_2_block_26`).
        public var shownName: String = ""
        /// A heading row (`▸ block2a · MBConv (14 layers)`): drawn across the whole row.
        public var isHeading: Bool { number.isEmpty && name.hasPrefix("▸ ") }
    }

    /// The rows in table order (depth-first, nested rows after their model's row).
    public static func rows(_ a: ModelAnalysis) -> [Row] {
        func walk(_ rows: [LayerRow], prefix: String, depth: Int) -> [Row] {
            // The number of each name in this scope (a nested model's layers read their own).
            var numberOf: [String: String] = [:]
            for (i, r) in rows.enumerated() where numberOf[r.name] == nil { numberOf[r.name] = prefix + String(i + 1) }
            return rows.enumerated().flatMap { (i, r) -> [Row] in
                let number = prefix + String(i + 1)
                var connected: [String] = []
                var inputs: [String] = []
                for (ci, names) in r.inboundPerCall.enumerated() where !names.isEmpty {
                    connected.append((r.calls > 1 ? "#\(ci): " : "") + names.joined(separator: ", "))
                    inputs.append(names.map { numberOf[$0] ?? $0 }.joined(separator: ", "))
                }
                var row = Row(number: number, depth: depth, name: r.name,
                              className: r.className + (r.supported ? "" : " (unsupported)"),
                              outputShape: r.outputShapes.isEmpty ? "-" : r.outputShapes.map { $0?.formatted(unknown: a.source.conventions.unknownDimension) ?? "?" }.joined(separator: ", "),
                              params: Formatting.count(r.params), trainable: Formatting.count(r.trainableParams),
                              nonTrainable: Formatting.count(r.nonTrainableParams), macs: Formatting.si(r.macs),
                              connectedTo: connected.isEmpty ? "-" : connected.joined(separator: "; "))
                row.inputs = inputs.isEmpty ? "-" : inputs.joined(separator: "; ")
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
        var block: String?
        for var row in table {
            if row.depth == 0, index < headings.count {
                if let heading = headings[index] {
                    var h = Row(number: "", depth: 0, name: "▸ " + heading, className: "", outputShape: "",
                                params: "", trainable: "", nonTrainable: "", macs: "", connectedTo: "")
                    h.shownName = h.name
                    out.append(h)
                    block = heading.components(separatedBy: " · ").first
                }
                index += 1
            }
            row.shownName = row.name
            if let block, block.count >= 8, row.name.count > block.count + 1, row.name.hasPrefix(block),
               let next = row.name.dropFirst(block.count).first, "_/.".contains(next) {
                row.shownName = "…" + row.name.dropFirst(block.count)
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
        /// The header, one or two lines (`Non-\ntrainable`).
        var title: String
        var width: Double
        var alignEnd: Bool
        var cell: (Row) -> String
    }

    /// The table's page: A4 portrait with narrower margins than the other pages, so a page
    /// holds about 65 rows at 8 pt.
    public static let geometry = PageGeometry(size: Size(595, 842), margin: 34)

    /// The table's pages (content only; `ReportPages` adds the footer): 8 pt rows, the
    /// header on every page, a heading row where a block or module begins, the inputs of a
    /// layer as the `#` of the layers it reads.
    public static func layout(_ doc: ReportDocument, measurer: any TextMeasurer, theme: Theme = .standard,
                              geometry: PageGeometry = LayerTablePages.geometry) -> [Scene] {
        let a = doc.analysis
        let tw = TextWrapper(measurer: measurer)
        let c = geometry.content
        let size = max(8, Theme.minimumTextSize)
        let cellStyle = TextStyle(size: size, color: theme.text)
        let headerStyle = TextStyle(size: size, weight: .bold, color: theme.text)
        let totalStyle = TextStyle(size: size, weight: .bold, color: theme.text)
        let headingStyle = TextStyle(size: size, weight: .bold, color: theme.mutedText)
        let gap = 5.0, indent = 7.0
        // 8 pt text on 10 pt rows (the usual leading), or the font's line if taller.
        let rowHeight = max(size * 1.25, tw.lineHeight(cellStyle).rounded(.up))
        let all = rows(a)
        let t = a.totals
        var totals = Row(number: "", depth: 0, name: "Total", className: "", outputShape: "", params: Formatting.count(t.params),
                         trainable: Formatting.count(t.trainableParams), nonTrainable: Formatting.count(t.nonTrainableParams),
                         macs: Formatting.si(t.macs), connectedTo: "")
        totals.shownName = "Total"
        let unit = a.source.conventions.unitName.capitalized

        // Column widths: numbers as wide as their widest entry, text columns capped, the
        // name column takes what is left.
        func titleWidth(_ title: String) -> Double { title.split(separator: "\n").map { tw.width(String($0), headerStyle) }.max() ?? 0 }
        func widest(_ title: String, _ f: (Row) -> String, cap: Double = .infinity) -> Double {
            let cellsWidth = all.filter { !$0.isHeading }.map { tw.width(f($0), cellStyle) }.max() ?? 0
            return min(cap, max(titleWidth(title), tw.width(f(totals), totalStyle), cellsWidth))
        }
        var columns = [
            Column(title: "#", width: widest("#", \.number), alignEnd: true, cell: \.number),
            Column(title: unit, width: 0, alignEnd: false, cell: \.shownName),
            Column(title: unit == "Node" ? "Op type" : "Class", width: widest("Class", \.className, cap: 76), alignEnd: false, cell: \.className),
            Column(title: "Output shape", width: widest("Output shape", \.outputShape, cap: 96), alignEnd: false, cell: \.outputShape),
            Column(title: "Params", width: widest("Params", \.params), alignEnd: true, cell: \.params),
            Column(title: "Non-\ntrainable", width: widest("Non-\ntrainable", \.nonTrainable), alignEnd: true, cell: \.nonTrainable),
            Column(title: "MACs", width: widest("MACs", \.macs), alignEnd: true, cell: \.macs),
            Column(title: "Inputs\n(#)", width: widest("Inputs\n(#)", \.inputs, cap: 40), alignEnd: false, cell: \.inputs),
        ]
        // When the names leave room, the capped columns get their full width.
        let nameWanted = all.filter { !$0.isHeading }.map { tw.width($0.shownName, cellStyle) + Double($0.depth) * indent }.max() ?? 0
        let full = [2: widest("Class", \.className), 3: widest("Output shape", \.outputShape), 7: widest("Inputs\n(#)", \.inputs)]
        let extra = full.reduce(0) { $0 + $1.value - columns[$1.key].width }
        if columns.reduce(0, { $0 + $1.width }) + gap * Double(columns.count - 1) + extra + nameWanted <= c.width {
            for (i, w) in full { columns[i].width = w }
        }
        let fixed = columns.reduce(0) { $0 + $1.width } + gap * Double(columns.count - 1)
        columns[1].width = max(60, c.width - fixed)
        var xs: [Double] = []
        var x = 0.0
        for col in columns { xs.append(x); x += col.width + gap }

        func cells(_ row: Row, style: TextStyle, y: Double) -> [Primitive] {
            if row.isHeading {
                return [.text(tw.truncate(row.name, style: headingStyle, width: c.width - xs[1]), origin: Point(c.x + xs[1], y), style: headingStyle, anchor: .start)]
            }
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
        func header(y: Double) -> [Primitive] {
            var out: [Primitive] = []
            for (i, col) in columns.enumerated() {
                let lines = col.title.split(separator: "\n").map(String.init)
                // One-line titles sit on the second line, beside the second line of the others.
                for (k, line) in lines.enumerated() {
                    let ly = y + Double(2 - lines.count + k) * rowHeight
                    out.append(.text(line, origin: Point(c.x + xs[i] + (col.alignEnd ? col.width : 0), ly), style: headerStyle, anchor: col.alignEnd ? .end : .start))
                }
            }
            return out
        }

        // Vertical budget: heading and header on every page; the trailer (totals and note)
        // on the last.
        let headingHeight = tw.lineHeight(theme.headingStyle) + 6
        let headerHeight = 2 * rowHeight + 2
        let noteStyle = theme.smallStyle
        let note = conventionNote(a) + " Trainable parameters: \(Formatting.count(t.trainableParams)) (Params minus Non-trainable)."
            + " Inputs (#): the numbers of the \(a.source.conventions.unitName)s each one reads (a shared one's calls split by ;)."
        let noteLines = tw.wrap(note, style: noteStyle, width: c.width)
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
            var take = min(left > capacity ? capacity : max(1, capacity - trailerRows), left)
            // A heading never ends a page.
            if take > 1, all[start + take - 1].isHeading { take -= 1 }
            chunks.append(all[start..<(start + take)])
            start += take
        }

        var pages: [Scene] = []
        for (k, chunk) in chunks.enumerated() {
            var prims: [Primitive] = []
            var y = c.y
            let heading = chunks.count > 1 ? "\(unit)s (\(k + 1) of \(chunks.count))" : "\(unit)s"
            prims.append(.text(heading, origin: Point(c.x, y), style: theme.headingStyle, anchor: .start))
            y += headingHeight
            prims += header(y: y)
            y += 2 * rowHeight
            prims.append(.line([Point(c.x, y), Point(c.maxX, y)], stroke: theme.edge, lineWidth: 0.75, dash: []))
            y += 2
            for (i, row) in chunk.enumerated() {
                if i % 2 == 1 {
                    prims.append(.rect(Rect(c.x, y, c.width, rowHeight), fill: theme.weightlessFill, stroke: nil, lineWidth: 0, cornerRadius: 0))
                }
                prims += cells(row, style: cellStyle, y: y + 0.5)
                y += rowHeight
            }
            if k == chunks.count - 1 {
                prims.append(.line([Point(c.x, y + 1), Point(c.maxX, y + 1)], stroke: theme.edge, lineWidth: 0.75, dash: []))
                y += 3
                prims += cells(totals, style: totalStyle, y: y + 0.5)
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
            !row.number.isEmpty && tw.truncate(row.shownName, style: cellStyle, width: columns[1].width - Double(row.depth) * indent) != row.shownName
        }
        if !shortened.isEmpty {
            // Three columns of names, down the first, then the second and the third.
            let lineHeight = rowHeight
            let columnGap = 12.0, columnCount = 3
            let columnWidth = (c.width - columnGap * Double(columnCount - 1)) / Double(columnCount)
            var prims: [Primitive] = []
            var y = c.y, column = 0
            func startPage(_ heading: String) {
                prims = [.text(heading, origin: Point(c.x, c.y), style: theme.headingStyle, anchor: .start)]
                y = c.y + headingHeight
                column = 0
            }
            startPage("Layer names in full")
            for row in shortened {
                let lines = tw.wrap("#\(row.number) \(row.name)", style: cellStyle, width: columnWidth)
                if y + Double(lines.count) * lineHeight > c.maxY {
                    if column < columnCount - 1 {
                        column += 1
                        y = c.y + headingHeight
                    } else {
                        pages.append(Scene(size: geometry.size, title: "\(a.modelName): layer names", primitives: prims))
                        startPage("Layer names in full (continued)")
                    }
                }
                let x = c.x + Double(column) * (columnWidth + columnGap)
                for line in lines {
                    prims.append(.text(line, origin: Point(x, y), style: cellStyle, anchor: .start))
                    y += lineHeight
                }
            }
            pages.append(Scene(size: geometry.size, title: "\(a.modelName): layer names", primitives: prims))
        }
        return pages
    }
}
