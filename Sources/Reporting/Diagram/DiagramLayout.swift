import ModelKit

/// Builds the layer diagram of a model: one box per layer call (name, class, output shape,
/// parameters), coloured by what the layer is (weights, no weights, merge, unsupported),
/// shared layers drawn once per call with the same outline colour and a `shared ×N` badge,
/// nested models as labelled frames around their own layers, edges under the boxes with
/// arrowheads at the head. Gives pages for the PDF (`pages`) and one scene for the SVG
/// (`scene`). Knows nothing of Cairo or Graphviz: positions come from `engine`, falling back
/// to `LayeredLayoutEngine` (with a diagnostic) when it fails.
public struct DiagramLayout: Sendable {
    public var measurer: any TextMeasurer
    public var engine: any GraphLayoutEngine
    public var fallback: any GraphLayoutEngine
    public var options: DiagramOptions
    public var theme: Theme
    /// The legend under each page's title (nil: what the boxes of a model's diagram mean).
    public var legend: [LegendEntry]?
    /// Follows the model's name in page titles.
    public var titleSuffix = " · layer diagram"

    /// One legend sample: a small box drawn like the boxes it names.
    public struct LegendEntry: Sendable {
        public var name: String
        public var fill: Color
        public var stroke: Color
        public var lineWidth: Double
        public init(_ name: String, fill: Color, stroke: Color, lineWidth: Double) {
            self.name = name
            self.fill = fill
            self.stroke = stroke
            self.lineWidth = lineWidth
        }
    }

    public init(measurer: any TextMeasurer, engine: any GraphLayoutEngine, options: DiagramOptions = DiagramOptions(),
                theme: Theme = .standard, fallback: any GraphLayoutEngine = LayeredLayoutEngine()) {
        self.measurer = measurer
        self.engine = engine
        self.fallback = fallback
        self.options = options
        self.theme = theme
    }

    /// Room around the laid-out graph, in points.
    static let border = 6.0

    /// The laid-out diagram, not yet cut into pages.
    public func diagram(_ analysis: ModelAnalysis) -> Diagram {
        var graph = DiagramGraph.build(analysis, measurer: measurer, options: options, theme: theme)
        if options.collapseRepeatedBlocks { graph = RepeatedBlocks.fold(graph, measurer: measurer, theme: theme) }
        return diagram(graph, title: analysis.modelName, file: analysis.source.file)
    }

    /// A built graph laid out (the model's, or a comparison's).
    func diagram(_ graph: DiagramGraph, title: String, file: String) -> Diagram {
        let input = LayoutGraph(
            nodes: graph.boxes.map { LayoutGraph.Node(size: Size($0.rect.width, $0.rect.height), cluster: $0.cluster) },
            edges: graph.edges,
            clusters: graph.clusters.map { LayoutGraph.Cluster(label: $0.label, parent: $0.parent) },
            direction: options.direction)

        var diagnostics: [Diagnostic] = []
        var engineName = engine.name
        var result: GraphLayoutResult
        do {
            result = try engine.layout(input)
            guard result.nodes.count == input.nodes.count, result.edges.count == input.edges.count,
                  result.clusters.count == input.clusters.count else {
                throw DiagramLayoutError("returned \(result.nodes.count) boxes, \(result.edges.count) edges and \(result.clusters.count) clusters for \(input.nodes.count), \(input.edges.count) and \(input.clusters.count)")
            }
        } catch {
            diagnostics.append(Diagnostic(.warning, "diagram-layout-fallback",
                "\(file): the \(engine.name) layout failed (\(error)); the diagram uses the simple layered layout instead"))
            engineName = fallback.name
            result = (try? fallback.layout(input)) ?? Self.column(input)
        }

        let b = Self.border
        func move(_ r: Rect) -> Rect { Rect(r.x + b, r.y + b, r.width, r.height) }
        func move(_ p: Point) -> Point { Point(p.x + b, p.y + b) }
        var boxes = graph.boxes
        for i in boxes.indices { boxes[i].rect = move(result.nodes[i]) }
        var clusters = graph.clusters
        for i in clusters.indices { clusters[i].rect = move(result.clusters[i]) }
        let edges = zip(graph.edges, result.edges).map { e, path in
            DiagramEdge(from: e.from, to: e.to, path: BezierPath(start: move(path.start), segments: path.segments.map {
                .init(move($0.control1), move($0.control2), move($0.end)) }))
        }
        return Diagram(title: title, boxes: boxes, edges: edges, clusters: clusters,
                       size: Size(result.size.width + 2 * b, result.size.height + 2 * b), engine: engineName, diagnostics: diagnostics)
    }

    /// Last resort when even the fallback fails: boxes in one column, straight edges.
    static func column(_ graph: LayoutGraph) -> GraphLayoutResult {
        var y = 0.0
        let rects = graph.nodes.map { n -> Rect in defer { y += n.size.height + 20 }; return Rect(0, y, n.size.width, n.size.height) }
        let edges = graph.edges.map { e in BezierPath(start: rects[e.from].center, segments: [.init(rects[e.from].center, rects[e.to].center, rects[e.to].center)]) }
        return GraphLayoutResult(nodes: rects, edges: edges, clusters: graph.clusters.map { _ in Rect(0, 0, 0, 0) },
                                 size: Size(rects.map(\.maxX).max() ?? 0, y))
    }

    // MARK: One scene (SVG)

    /// The whole diagram as one scene at 100 %, with a title and legend on top: for `diagram.svg`.
    public func scene(_ analysis: ModelAnalysis) -> Scene { scene(diagram(analysis)) }

    public func scene(_ diagram: Diagram) -> Scene {
        let m = 12.0
        let header = headerHeight
        let width = max(diagram.size.width + 2 * m, 360)
        var scene = Scene(size: Size(width, diagram.size.height + header + 2 * m), title: diagram.title + titleSuffix,
                          description: description(diagram))
        scene.add(.rect(Rect(0, 0, scene.size.width, scene.size.height), fill: theme.background, stroke: nil, lineWidth: 0, cornerRadius: 0))
        drawHeader(&scene, title: diagram.title + titleSuffix, right: "", x: m, y: m, width: width - 2 * m)
        let painter = DiagramPainter(diagram: diagram, theme: theme, measurer: measurer, scale: 1,
                                     offset: Point(m, m + header), visible: nil)
        scene.primitives += painter.draw(boxes: Set(diagram.boxes.indices)).primitives
        return scene
    }

    // MARK: Pages (PDF)

    /// The diagram cut into pages of `options.pageSize`, each with a title, a legend and
    /// continuation marks where edges cross a cut.
    public func pages(_ analysis: ModelAnalysis) -> DiagramPages { pages(diagram(analysis)) }

    public func pages(_ diagram: Diagram) -> DiagramPages {
        let page = options.pageSize, m = options.margin
        let content = Size(page.width - 2 * m, page.height - 2 * m - headerHeight - footerHeight)
        // Shrink to the page width when that keeps every text readable; never enlarge.
        let minScale = Theme.minimumTextSize / DiagramStyle.smallestSize
        let scale = max(minScale, min(1, content.width / max(diagram.size.width, 1)))
        let w = diagram.size.width * scale, h = diagram.size.height * scale
        let xCuts = Self.cuts(length: w, capacity: content.width, occupied: diagram.boxes.map { ($0.rect.x * scale, $0.rect.maxX * scale) })
        let yCuts = Self.cuts(length: h, capacity: content.height, occupied: diagram.boxes.map { ($0.rect.y * scale, $0.rect.maxY * scale) })
        // Tiles in diagram coordinates (unscaled).
        var tiles: [(row: Int, col: Int, rect: Rect)] = []
        for r in 0..<(yCuts.count - 1) {
            for c in 0..<(xCuts.count - 1) {
                tiles.append((r, c, Rect(xCuts[c] / scale, yCuts[r] / scale, (xCuts[c + 1] - xCuts[c]) / scale, (yCuts[r + 1] - yCuts[r]) / scale)))
            }
        }
        func tileIndex(_ p: Point) -> Int {
            let c = max(0, min(xCuts.count - 2, (xCuts.lastIndex { $0 <= p.x * scale } ?? 0)))
            let r = max(0, min(yCuts.count - 2, (yCuts.lastIndex { $0 <= p.y * scale } ?? 0)))
            return r * (xCuts.count - 1) + c
        }
        let tileOfBox = diagram.boxes.map { tileIndex($0.rect.center) }
        var pieces: [[(edge: Int, piece: BezierClipping.Piece)]] = Array(repeating: [], count: tiles.count)
        for (ei, e) in diagram.edges.enumerated() {
            for (ti, t) in tiles.enumerated() {
                for p in BezierClipping.clip(e.path, to: t.rect) { pieces[ti].append((ei, p)) }
            }
        }
        // Pages: the tiles with something on them, in reading order.
        var pageOfTile = [Int?](repeating: nil, count: tiles.count)
        var pageCount = 0
        for ti in tiles.indices where tileOfBox.contains(ti) || !pieces[ti].isEmpty {
            pageOfTile[ti] = pageCount
            pageCount += 1
        }
        func pageName(_ ti: Int) -> String { pageOfTile[ti].map { "p. \($0 + 1)" } ?? "?" }

        var scenes: [Scene] = []
        for (ti, tile) in tiles.enumerated() {
            guard let pageIndex = pageOfTile[ti] else { continue }
            let title = diagram.title + titleSuffix
            var scene = Scene(size: page, title: title + " (page \(pageIndex + 1) of \(pageCount))", description: description(diagram))
            scene.add(.rect(Rect(0, 0, page.width, page.height), fill: theme.background, stroke: nil, lineWidth: 0, cornerRadius: 0))
            drawHeader(&scene, title: title, right: "page \(pageIndex + 1) of \(pageCount)", x: m, y: m, width: content.width)
            let origin = Point(m - tile.rect.x * scale, m + headerHeight - tile.rect.y * scale)
            let painter = DiagramPainter(diagram: diagram, theme: theme, measurer: measurer, scale: scale, offset: origin, visible: tile.rect)
            let boxes = Set(diagram.boxes.indices.filter { tileOfBox[$0] == ti })
            var drawn = painter.draw(boxes: boxes, pieces: pieces[ti].map { ($0.edge, $0.piece) })
            // Continuation marks where an edge leaves or enters this page.
            var marks = Set<String>()
            for (ei, piece) in pieces[ti] {
                if !piece.atPathEnd {
                    let other = (0..<tiles.count).first { $0 != ti && pieces[$0].contains { $0.edge == ei && distance($0.piece.path.start, piece.path.end) < 1 } }
                    if let o = other { painter.mark(piece.path.end, in: tile.rect, text: "to " + pageName(o), outward: true, into: &drawn.primitives, seen: &marks, around: scene.primitives,
                                                  within: Rect(0, 0, page.width, page.height - m)) }
                }
                if !piece.atPathStart {
                    let other = (0..<tiles.count).first { $0 != ti && pieces[$0].contains { $0.edge == ei && distance($0.piece.path.end, piece.path.start) < 1 } }
                    if let o = other { painter.mark(piece.path.start, in: tile.rect, text: "from " + pageName(o), outward: false, into: &drawn.primitives, seen: &marks, around: scene.primitives,
                                                  within: Rect(0, 0, page.width, page.height - m)) }
                }
            }
            scene.primitives += drawn.primitives
            // Footer: where the diagram continues.
            var notes: [String] = []
            let cols = xCuts.count - 1
            func neighbour(_ dr: Int, _ dc: Int) -> Int? {
                let r = tile.row + dr, c = tile.col + dc
                guard r >= 0, c >= 0, r < yCuts.count - 1, c < cols else { return nil }
                return pageOfTile[r * cols + c].map { $0 + 1 }
            }
            if let p = neighbour(-1, 0) { notes.append("continued from page \(p) above") }
            if let p = neighbour(0, -1) { notes.append("continued from page \(p) on the left") }
            if let p = neighbour(0, 1) { notes.append("continued on page \(p) to the right") }
            if let p = neighbour(1, 0) { notes.append("continued on page \(p) below") }
            if !notes.isEmpty {
                scene.add(.text(notes.joined(separator: " · "), origin: Point(page.width - m, page.height - m - 9), style: theme.smallStyle, anchor: .end))
            }
            scenes.append(scene)
        }
        let pageOfBox = tileOfBox.map { pageOfTile[$0] ?? 0 }
        return DiagramPages(scenes: scenes, pageOfBox: pageOfBox, scale: scale)
    }

    /// The pages of several diagrams in order, where consecutive diagrams that each fit one
    /// page share a page when together they fit (small block types one under another, each
    /// with its own title and legend).
    public func packedPages(_ diagrams: [Diagram]) -> [Scene] {
        let page = options.pageSize, m = options.margin
        let bottom = page.height - m - footerHeight
        let gap = 18.0
        var out: [Scene] = []
        var used: Double?  // where the last page's content ends, when another diagram may join it
        for d in diagrams {
            let p = pages(d)
            guard p.scenes.count == 1 else {
                out += p.scenes
                used = nil
                continue
            }
            let height = headerHeight + d.size.height * p.scale
            if let u = used, u + gap + height <= bottom, var last = out.popLast() {
                var prims = p.scenes[0].primitives
                if case .rect(let r, _, _, _, _) = prims.first, r == Rect(0, 0, page.width, page.height) { prims.removeFirst() }
                last.primitives += prims.map { $0.translated(0, u + gap - m) }
                last.title += " + " + p.scenes[0].title
                out.append(last)
                used = u + gap + height
            } else {
                out.append(p.scenes[0])
                used = m + height
            }
        }
        return out
    }

    var headerHeight: Double { 42 }
    var footerHeight: Double { 14 }

    /// Title on the left, page number on the right, a legend beneath.
    func drawHeader(_ scene: inout Scene, title: String, right: String, x: Double, y: Double, width: Double) {
        let style = TextStyle(size: 12, weight: .bold, color: theme.text)
        let rightWidth = right.isEmpty ? 0 : measurer.measure(right, style: theme.smallStyle).width + 12
        scene.add(.text(DiagramStyle.fit(title, style, width: width - rightWidth, measurer: measurer), origin: Point(x, y), style: style, anchor: .start))
        if !right.isEmpty { scene.add(.text(right, origin: Point(x + width, y + 3), style: theme.smallStyle, anchor: .end)) }
        let legend = (self.legend ?? [
            LegendEntry("weights", fill: theme.weightedFill, stroke: theme.weightedStroke, lineWidth: 1.2),
            LegendEntry("no weights", fill: theme.weightlessFill, stroke: theme.weightlessStroke, lineWidth: 0.7),
            LegendEntry("merge", fill: theme.mergeFill, stroke: theme.mergeStroke, lineWidth: 0.7),
            LegendEntry("unsupported", fill: theme.unsupportedFill, stroke: theme.unsupportedStroke, lineWidth: 0.7),
            LegendEntry("shared layer (one box per call)", fill: theme.background, stroke: DiagramGraph.sharedStrokes[0], lineWidth: 2),
            LegendEntry("nested model", fill: theme.clusterFill, stroke: theme.clusterStroke, lineWidth: 0.7),
        ]).map { ($0.name, $0.fill, $0.stroke, $0.lineWidth) }
        var lx = x
        let ly = y + 19
        for (name, fill, stroke, lw) in legend {
            scene.add(.rect(Rect(lx, ly + 1, 12, 7), fill: fill, stroke: stroke, lineWidth: lw, cornerRadius: 1.5))
            scene.add(.text(name, origin: Point(lx + 15, ly), style: theme.smallStyle, anchor: .start))
            lx += 15 + measurer.measure(name, style: theme.smallStyle).width + 10
        }
    }

    func description(_ diagram: Diagram) -> String {
        let layers = diagram.boxes.reduce(0) { $0 + $1.layers.count }
        return "Layer diagram of \(diagram.title): \(diagram.boxes.count) boxes for \(layers) layer calls, \(diagram.edges.count) connections"
            + (diagram.clusters.isEmpty ? "" : ", \(diagram.clusters.count) nested model\(diagram.clusters.count == 1 ? "" : "s")") + "."
    }

    /// Cut positions along one axis (0 first, `length` last), each at most `capacity` after
    /// the previous, moved back into a gap between boxes when one is near.
    static func cuts(length: Double, capacity: Double, occupied: [(Double, Double)]) -> [Double] {
        var result = [0.0]
        guard length > capacity, capacity > 1 else { return [0, max(length, 0)] }
        // Boxes with 2 pt to spare, by where they begin; a cut goes at the page's end or at a
        // box's edge in the page's second half, wherever it crosses the fewest boxes (none,
        // when the boxes leave a gap), the furthest such place on a tie.
        let boxes = occupied.map { ($0.0 - 2, $0.1 + 2) }.sorted { $0.0 < $1.0 }
        let edges = (boxes.map(\.0) + boxes.map(\.1)).sorted()
        func crossed(_ cut: Double) -> Int {
            var n = 0
            for (a, b) in boxes {
                if a >= cut { break }
                if cut < b { n += 1 }
            }
            return n
        }
        var pos = 0.0
        while pos + capacity < length {
            let end = pos + capacity
            var best = end, bestCrossed = crossed(end)
            if bestCrossed > 0 {
                // Edges in (pos + capacity / 2, end), furthest first.
                var i = edges.lastIndex { $0 < end } ?? -1
                while i >= 0, edges[i] > pos + capacity / 2 {
                    let n = crossed(edges[i])
                    if n < bestCrossed { best = edges[i]; bestCrossed = n }
                    if n == 0 { break }
                    i -= 1
                }
            }
            result.append(best)
            pos = best
        }
        result.append(length)
        return result
    }
}

private func distance(_ a: Point, _ b: Point) -> Double { ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot() }
