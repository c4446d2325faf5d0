import ModelKit

/// The diagram before layout: one box per layer call (nested models opened into clusters of
/// their own boxes), the connections between boxes, and the clusters. Built from the
/// analysis rows alone.
struct DiagramGraph: Sendable {
    var boxes: [DiagramBox] = []
    var edges: [LayoutGraph.Edge] = []
    var clusters: [DiagramCluster] = []

    /// What one scope (the model, or one call of a nested model) exposes to its parent.
    private struct Scope {
        /// Layer name -> call -> box per output tensor (a leaf layer: one box for all).
        var producers: [String: [[Int]]] = [:]
        /// Layer name -> call -> per argument, the boxes the argument flows into (nested models).
        var entries: [String: [[[Int]]]] = [:]
        /// Consumers of each name: (box or entry owner) for hidden inputs.
        var leafInbound: [(box: Int, refs: [(String, Int, Int)])] = []
        var nestedInbound: [(name: String, call: Int, refs: [(String, Int, Int)])] = []
    }

    static func build(_ analysis: ModelAnalysis, measurer: any TextMeasurer, options: DiagramOptions, theme: Theme) -> DiagramGraph {
        var g = DiagramGraph()
        var sharedIndex: [String: Int] = [:]
        var edgeSet = Set<LayoutGraph.Edge>()

        func addEdge(_ a: Int, _ b: Int) {
            let e = LayoutGraph.Edge(from: a, to: b)
            if a != b, edgeSet.insert(e).inserted { g.edges.append(e) }
        }

        func refs(_ row: LayerRow, call c: Int) -> [(String, Int, Int)] {
            (c < row.inputsPerCall.count ? row.inputsPerCall[c] : []).map { ($0.layer, $0.call, $0.tensor) }
        }

        func resolve(_ scope: Scope, _ ref: (String, Int, Int)) -> [Int] {
            guard let perCall = scope.producers[ref.0], !perCall.isEmpty else { return [] }
            let boxes = perCall[min(ref.1, perCall.count - 1)]
            if boxes.count <= 1 { return boxes }
            return ref.2 < boxes.count ? [boxes[ref.2]] : boxes
        }

        /// Builds one scope's boxes and edges; returns what the parent needs.
        func scope(_ rows: [LayerRow], prefix: String, cluster: Int?) -> Scope {
            var s = Scope()
            // Module frames: rows the reader grouped by the module paths in their names, one
            // frame per module of the first two levels that holds two rows or more.
            let grouped = ModuleGroups.applies(rows)
            var moduleRows: [[String]: Int] = [:]
            if grouped {
                for row in rows where row.children.isEmpty {
                    for d in stride(from: 1, through: min(2, row.module.count), by: 1) { moduleRows[Array(row.module.prefix(d)), default: 0] += 1 }
                }
            }
            var moduleClusters: [[String]: Int] = [:]
            func moduleCluster(_ row: LayerRow) -> Int? {
                var parent = cluster
                for d in stride(from: 1, through: min(2, row.module.count), by: 1) {
                    let key = Array(row.module.prefix(d))
                    guard let n = moduleRows[key], n >= 2 else { break }
                    // A sub-module holding all of its module's rows adds no frame of its own.
                    if d > 1, n == moduleRows[Array(key.dropLast())] { break }
                    if let c = moduleClusters[key] { parent = c; continue }
                    g.clusters.append(DiagramCluster(path: prefix + "module:" + key.joined(separator: "/"), call: 0,
                                                     label: key.last! + " · " + Formatting.plural(n, analysis.source.conventions.unitName),
                                                     parent: parent, rect: Rect(0, 0, 0, 0)))
                    moduleClusters[key] = g.clusters.count - 1
                    parent = g.clusters.count - 1
                }
                return parent
            }
            for row in rows {
                let path = prefix + row.name
                let callCount = max(row.calls, 1)
                if row.children.isEmpty {
                    var perCall: [[Int]] = []
                    for c in 0..<callCount {
                        let box = makeBox(row, path: path, call: c, calls: row.calls, cluster: grouped ? moduleCluster(row) : cluster, sharedIndex: &sharedIndex,
                                          measurer: measurer, options: options, theme: theme, unknown: analysis.source.conventions.unknownDimension)
                        g.boxes.append(box)
                        perCall.append([g.boxes.count - 1])
                        s.leafInbound.append((g.boxes.count - 1, refs(row, call: c)))
                    }
                    s.producers[row.name] = perCall
                } else {
                    var outs: [[Int]] = [], ins: [[[Int]]] = []
                    for c in 0..<callCount {
                        let label = row.name + " · " + row.className + (row.calls > 1 ? " · call \(c + 1) of \(row.calls)" : "")
                            + " · " + DiagramStyle.paramText(row.params)
                        g.clusters.append(DiagramCluster(path: path, call: c, label: label, parent: cluster, rect: Rect(0, 0, 0, 0)))
                        let inner = scope(row.children + row.operations, prefix: path + "/", cluster: g.clusters.count - 1)
                        outs.append(row.modelOutputs.flatMap { resolve(inner, ($0, 0, 0)) })
                        ins.append(row.modelInputs.map { input in
                            if let p = inner.producers[input] { return p.first ?? [] }
                            // A hidden input (not listed by its format): the layers that read it.
                            return inner.leafInbound.filter { $0.refs.contains { $0.0 == input } }.map(\.box)
                                + inner.nestedInbound.filter { $0.refs.contains { $0.0 == input } }.flatMap { n in
                                    (inner.entries[n.name]?[n.call] ?? []).flatMap { $0 } }
                        })
                        s.nestedInbound.append((row.name, c, refs(row, call: c)))
                    }
                    s.producers[row.name] = outs
                    s.entries[row.name] = ins
                }
            }
            // Edges inside this scope.
            for consumer in s.leafInbound {
                for ref in consumer.refs { for from in resolve(s, ref) { addEdge(from, consumer.box) } }
            }
            for nested in s.nestedInbound {
                let args = s.entries[nested.name]?[nested.call] ?? []
                for (i, ref) in nested.refs.enumerated() {
                    let targets = i < args.count ? args[i] : args.last ?? []
                    for from in resolve(s, ref) { for to in targets { addEdge(from, to) } }
                }
            }
            return s
        }
        _ = scope(analysis.rows + analysis.operations, prefix: "", cluster: nil)
        return g
    }

    /// The graph with groups of boxes folded into one: `replacement[v]` is the box that
    /// stands for `v`'s group (-1: `v` stays), `folded[head]` the box drawn for a group whose
    /// head is `head`. Boxes keep their order, the head at its place; edges are remapped,
    /// without duplicates or loops inside a group.
    func folding(_ replacement: [Int], into folded: [Int: DiagramBox]) -> DiagramGraph {
        let n = boxes.count
        var result = DiagramGraph(boxes: [], edges: [], clusters: clusters)
        var newIndex = [Int](repeating: -1, count: n)
        for v in 0..<n where replacement[v] == -1 || replacement[v] == v {
            newIndex[v] = result.boxes.count
            result.boxes.append(folded[v] ?? boxes[v])
        }
        for v in 0..<n where replacement[v] != -1 { newIndex[v] = newIndex[replacement[v]] }
        var seen = Set<LayoutGraph.Edge>()
        for e in edges {
            let f = LayoutGraph.Edge(from: newIndex[e.from], to: newIndex[e.to])
            if f.from != f.to, seen.insert(f).inserted { result.edges.append(f) }
        }
        return result
    }

    /// Outline colours for shared layers: every call of one shared layer gets the same one.
    static let sharedStrokes = [Color(hex: 0xBF3989), Color(hex: 0x1A7F37), Color(hex: 0xBC4C00), Color(hex: 0x0550AE), Color(hex: 0x6639BA)]

    static func makeBox(_ row: LayerRow, path: String, call: Int, calls: Int, cluster: Int?, sharedIndex: inout [String: Int],
                        measurer: any TextMeasurer, options: DiagramOptions, theme: Theme, unknown: String) -> DiagramBox {
        let kind: DiagramBox.Kind
        if !row.supported { kind = .unsupported } else if row.category == .merge { kind = .merge } else if row.ownsWeights { kind = .weighted } else { kind = .weightless }
        var fill: Color, stroke: Color
        switch kind {
        case .weighted: (fill, stroke) = (theme.weightedFill, theme.weightedStroke)
        case .merge: (fill, stroke) = (theme.mergeFill, theme.mergeStroke)
        case .unsupported: (fill, stroke) = (theme.unsupportedFill, theme.unsupportedStroke)
        case .weightless, .repeated, .removed, .folded: (fill, stroke) = (theme.weightlessFill, theme.weightlessStroke)
        }
        if let total = options.shadeByParamsOf { fill = BlockOverview.shareFill(row.params, total: total) }
        // The box's time and its share of the whole pass (the overview of a timed model).
        let time = options.timeTotalMs.flatMap { total in options.boxTimes[row.name].map { (ms: $0, share: total > 0 ? $0 / total : 0) } }
        if options.shade == .latency, options.timeTotalMs != nil { fill = BlockOverview.shareFill(time?.share ?? 0) }
        var lineWidth = kind == .weighted ? 1.2 : 0.7
        var classLine = row.isOperation ? row.className + " (operation)" : row.className
        if calls > 1 {
            let i = sharedIndex[path] ?? { let n = sharedIndex.count; sharedIndex[path] = n; return n }()
            stroke = sharedStrokes[i % sharedStrokes.count]
            lineWidth = 2
            classLine += "  · shared ×\(calls), call \(call + 1)"
        }
        if !row.supported { classLine += "  · unsupported" }
        // A shared layer's weights exist once: later calls say so rather than count them again.
        let params = call > 0 && (row.params ?? 0) > 0 ? "same " + DiagramStyle.paramText(row.params) + " as call 1" : DiagramStyle.paramText(row.params)
        if options.paramsOnClassLine { classLine += " · " + params }
        var lines = [DiagramBox.Line(row.name, DiagramStyle.name(theme)), DiagramBox.Line(classLine, DiagramStyle.detail(theme))]
        let timeText = time.map { ChangeFormatting.milliseconds($0.ms) + String(format: " (%.1f%%)", $0.share * 100) }
        if options.showShapes {
            let shapes = call < row.callOutputShapes.count ? row.callOutputShapes[call] : row.outputShapes
            let shapeText = DiagramStyle.shapeText(shapes, unknown: unknown)
            lines.append(DiagramBox.Line(timeText.map { shapeText + " · " + $0 } ?? shapeText, DiagramStyle.mono(theme)))
        } else if let timeText {
            lines.append(DiagramBox.Line(timeText, DiagramStyle.detail(theme)))
        }
        if !options.paramsOnClassLine { lines.append(DiagramBox.Line(params, DiagramStyle.detail(theme))) }
        var box = DiagramBox(name: row.name, path: path, layers: [path], className: row.className, params: row.params, call: call, calls: calls,
                             repeatCount: 1, kind: kind, cluster: cluster, lines: lines, stroke: stroke, fill: fill,
                             lineWidth: lineWidth, rect: Rect(0, 0, 0, 0))
        box.rect.width = DiagramStyle.width(of: lines, measurer: measurer)
        box.rect.height = DiagramStyle.height(of: lines)
        return box
    }
}
