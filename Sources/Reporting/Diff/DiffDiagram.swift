import ModelKit

/// The new model's diagram with a comparison's changes marked: added, changed and renamed
/// layers in their colours with what changed written in the box, each removed layer drawn
/// where it was (dashed, between the layers it read and the layers that read it), and every
/// run of unchanged layers away from a change folded into one box, so a one-layer change in
/// a model of a thousand layers fits on a page or two.
///
/// The fold: the boxes are put in a topological order; a box is *shown* when it changed or
/// lies within `context` connections of one that did; every run of two or more consecutive
/// hidden boxes (in that order, within one nested-model frame) becomes one box. A run that is
/// consecutive in a topological order contains every path between its members, so folding it
/// never makes a cycle. Before that, runs of identical blocks fold into one `×N` box as in a
/// model's report (`RepeatedBlocks`), keeping their mark when all were added alike: ResNet101's
/// seventeen added blocks are one box. Module frames (ONNX node-name groups) are left out: the folded boxes
/// name their first and last layers instead.
enum DiffDiagram {
    static func graph(_ diff: ModelDiff, old: ModelAnalysis, new: ModelAnalysis, measurer: any TextMeasurer,
                      options: DiagramOptions, theme: Theme, context: Int = 1) -> DiagramGraph {
        var g = DiagramGraph.build(new, measurer: measurer, options: options, theme: theme)
        dropModuleFrames(&g)
        var statuses: [String: ModelDiff.Status] = [:]
        for l in diff.added { statuses[l.name] = .added }
        for r in diff.renamed { statuses[r.new] = .renamed }
        for c in diff.changed { statuses[c.name] = statuses[c.name] == .renamed ? .renamedAndChanged : .changed }
        var changes: [String: [ModelDiff.Change]] = [:]
        for c in diff.changed { changes[c.name] = c.changes }
        var renamedFrom: [String: String] = [:]
        for r in diff.renamed { renamedFrom[r.new] = r.old }
        let unknown = new.source.conventions.unknownDimension

        for i in g.boxes.indices {
            let path = g.boxes[i].path
            let status = statuses[path]
            g.boxes[i].diffStatus = status
            let (fill, stroke) = colours(status, theme)
            g.boxes[i].fill = fill
            g.boxes[i].stroke = stroke
            g.boxes[i].lineWidth = status == nil ? 0.7 : 1.6
            var notes: [String] = []
            if let from = renamedFrom[path] { notes.append("renamed from \(from)") }
            if status == .added { notes.append("added") }
            notes += describe(changes[path] ?? [], unknown: unknown)
            if !notes.isEmpty {
                let style = TextStyle(size: 8, weight: .bold, color: stroke)
                g.boxes[i].lines += notes.map { DiagramBox.Line($0, style) }
                g.boxes[i].rect.width = DiagramStyle.width(of: g.boxes[i].lines, measurer: measurer)
                g.boxes[i].rect.height = DiagramStyle.height(of: g.boxes[i].lines)
            }
        }
        addRemoved(diff, old: old, to: &g, measurer: measurer, theme: theme)
        // Runs of identical blocks (unchanged, or all added alike) fold as in a report.
        g = RepeatedBlocks.fold(g, measurer: measurer, theme: theme)
        return fold(g, context: context, unitName: new.source.conventions.unitName, measurer: measurer, theme: theme)
    }

    /// The fill and outline of a box by what happened to its layer.
    static func colours(_ status: ModelDiff.Status?, _ theme: Theme) -> (Color, Color) {
        switch status {
        case .added: return (theme.addedFill, theme.addedStroke)
        case .changed, .renamedAndChanged: return (theme.changedFill, theme.changedStroke)
        case .renamed: return (theme.renamedFill, theme.renamedStroke)
        case .removed: return (theme.removedFill, theme.removedStroke)
        case nil: return (theme.background, theme.weightlessStroke)
        }
    }

    /// What changed, one short line per field (at most four; the rest counted).
    static func describe(_ changes: [ModelDiff.Change], unknown: String) -> [String] {
        let paramsChanged = changes.contains { $0.field == "params" }
        var lines: [String] = []
        for c in changes {
            switch c.field {
            case "params": lines.append("params \(number(c.old)) → \(number(c.new))")
            case "trainable_params": if !paramsChanged { lines.append("trainable \(number(c.old)) → \(number(c.new))") }
            case "macs": lines.append("MACs \(Int(c.old).map { Formatting.si($0) } ?? c.old) → \(Int(c.new).map { Formatting.si($0) } ?? c.new)")
            case "output_shape": lines.append("shape \(c.old) → \(c.new)")
            case "inputs": lines.append("inputs: \(c.new)")
            case "weights": lines.append("weights changed")
            default:
                let key = c.field.hasPrefix("config.") ? String(c.field.dropFirst(7)) : c.field
                lines.append("\(key): \(c.old) → \(c.new)")
            }
        }
        if lines.count > 4 { return Array(lines.prefix(3)) + ["and \(lines.count - 3) more changes"] }
        return lines
    }

    static func number(_ s: String) -> String { Int(s).map { Formatting.count($0) } ?? s }

    /// Module frames (paths `…module:…`) are taken out; their boxes move to the nearest frame
    /// that stays (a nested model's) or to the top level.
    static func dropModuleFrames(_ g: inout DiagramGraph) {
        let isModule = g.clusters.map { $0.path.contains("module:") }
        guard isModule.contains(true) else { return }
        func kept(_ c: Int?) -> Int? {
            var c = c
            while let k = c, isModule[k] { c = g.clusters[k].parent }
            return c
        }
        var newIndex = [Int?](repeating: nil, count: g.clusters.count)
        var clusters: [DiagramCluster] = []
        for (i, c) in g.clusters.enumerated() where !isModule[i] {
            newIndex[i] = clusters.count
            clusters.append(c)
        }
        for i in clusters.indices { clusters[i].parent = kept(clusters[i].parent).flatMap { newIndex[$0] } }
        for i in g.boxes.indices { g.boxes[i].cluster = kept(g.boxes[i].cluster).flatMap { newIndex[$0] } }
        g.clusters = clusters
    }

    /// One dashed box per removed layer, joined to the new boxes of the layers it read and
    /// of the layers that read it (or to other removed layers' boxes).
    static func addRemoved(_ diff: ModelDiff, old: ModelAnalysis, to g: inout DiagramGraph, measurer: any TextMeasurer, theme: Theme) {
        guard !diff.removed.isEmpty else { return }
        var oldRows: [String: LayerRow] = [:]
        func index(_ rows: [LayerRow], _ prefix: String) {
            for r in rows {
                oldRows[prefix + r.name] = r
                index(r.children, prefix + r.name + "/")
            }
        }
        index(old.rows, "")
        var boxesOf: [String: [Int]] = [:]
        for (i, b) in g.boxes.enumerated() { boxesOf[b.path, default: []].append(i) }
        var ghost: [String: Int] = [:]
        let unknown = old.source.conventions.unknownDimension
        for l in diff.removed {
            let row = oldRows[l.name]
            let parent = l.name.split(separator: "/").dropLast().joined(separator: "/")
            let cluster = parent.isEmpty ? nil : g.clusters.firstIndex { $0.path == parent && $0.call == 0 }
            let style = TextStyle(size: 8, weight: .bold, color: theme.removedStroke)
            var lines = [DiagramBox.Line(row?.name ?? l.name, DiagramStyle.name(theme)), DiagramBox.Line(l.type, DiagramStyle.detail(theme))]
            if let row { lines.append(DiagramBox.Line(DiagramStyle.shapeText(row.outputShapes, unknown: unknown), DiagramStyle.mono(theme))) }
            lines.append(DiagramBox.Line(DiagramStyle.paramText(row?.params), DiagramStyle.detail(theme)))
            lines.append(DiagramBox.Line("removed", style))
            var box = DiagramBox(name: row?.name ?? l.name, path: "removed:" + l.name, layers: [], className: l.type, params: row?.params, call: 0, calls: 1,
                                 repeatCount: 1, kind: .removed, cluster: cluster, lines: lines, stroke: theme.removedStroke, fill: theme.removedFill,
                                 lineWidth: 1.2, rect: Rect(0, 0, 0, 0), diffStatus: .removed)
            box.rect.width = DiagramStyle.width(of: lines, measurer: measurer)
            box.rect.height = DiagramStyle.height(of: lines)
            g.boxes.append(box)
            ghost[l.name] = g.boxes.count - 1
        }
        var seen = Set(g.edges)
        func add(_ a: Int, _ b: Int) {
            let e = LayoutGraph.Edge(from: a, to: b)
            if a != b, seen.insert(e).inserted { g.edges.append(e) }
        }
        for l in diff.removed {
            guard let me = ghost[l.name], let place = diff.removedPlaces[l.name] else { continue }
            // The last call of a layer it read; the first call of a layer that read it.
            for p in place.after { if let b = ghost[p] ?? boxesOf[p]?.last { add(b, me) } }
            for p in place.before where ghost[p] == nil { if let b = boxesOf[p]?.first { add(me, b) } }
        }
    }

    /// Runs of unchanged boxes away from the changes folded into one box each.
    static func fold(_ g: DiagramGraph, context: Int, unitName: String, measurer: any TextMeasurer, theme: Theme) -> DiagramGraph {
        let n = g.boxes.count
        var preds = [[Int]](repeating: [], count: n), succs = [[Int]](repeating: [], count: n)
        for e in g.edges { preds[e.to].append(e.from); succs[e.from].append(e.to) }
        var shown = [Bool](repeating: false, count: n)
        var frontier = (0..<n).filter { g.boxes[$0].diffStatus != nil }
        for v in frontier { shown[v] = true }
        for _ in 0..<max(0, context) {
            var next: [Int] = []
            for v in frontier { for w in preds[v] + succs[v] where !shown[w] { shown[w] = true; next.append(w) } }
            frontier = next
        }
        let order = RepeatedBlocks.topologicalOrder(n, preds: preds, succs: succs)
        var runs: [[Int]] = []
        var current: [Int] = []
        for v in order {
            if shown[v] || (current.first.map { g.boxes[$0].cluster != g.boxes[v].cluster } ?? false) {
                if current.count >= 2 { runs.append(current) }
                current = []
            }
            if !shown[v] { current.append(v) }
        }
        if current.count >= 2 { runs.append(current) }
        guard !runs.isEmpty else { return g }

        var replacement = [Int](repeating: -1, count: n)
        var folded: [Int: DiagramBox] = [:]
        for run in runs {
            let head = run.min()!
            for m in run { replacement[m] = head }
            folded[head] = foldedBox(run.map { g.boxes[$0] }, unitName: unitName, measurer: measurer, theme: theme)
        }
        return g.folding(replacement, into: folded)
    }

    /// `⋯ 152 unchanged layers`, the first and last of them, their parameters.
    static func foldedBox(_ boxes: [DiagramBox], unitName: String, measurer: any TextMeasurer, theme: Theme) -> DiagramBox {
        let first = boxes[0], last = boxes[boxes.count - 1]
        let known = boxes.compactMap(\.params)
        let total: Int? = known.count == boxes.count ? known.reduce(0, +) : nil
        let lines = [
            DiagramBox.Line("⋯ \(Formatting.count(boxes.count)) unchanged \(unitName)s", DiagramStyle.name(theme)),
            DiagramBox.Line(first.name + " … " + last.name, DiagramStyle.detail(theme)),
            DiagramBox.Line(total.map { $0 == 0 ? "no weights" : Formatting.count($0) + " params in all" } ?? "? params", DiagramStyle.detail(theme)),
        ]
        var box = DiagramBox(name: first.name, path: first.path, layers: boxes.flatMap(\.layers), className: "unchanged", params: total, call: 0, calls: 1,
                             repeatCount: boxes.count, kind: .folded, cluster: first.cluster, lines: lines, stroke: theme.weightlessStroke,
                             fill: theme.weightlessFill, lineWidth: 0.7, rect: Rect(0, 0, 0, 0))
        box.rect.width = DiagramStyle.width(of: lines, measurer: measurer)
        box.rect.height = DiagramStyle.height(of: lines)
        return box
    }
}
