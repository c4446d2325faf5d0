/// Folds runs of structurally identical blocks into one box labelled `×N`.
///
/// The rule, stated simply: order the top-level boxes topologically (file order among
/// ready ones); a *block* is the boxes after one merge box (Add, Concatenate, ...) up to and
/// including the next merge box. Two blocks are identical when they have the same number of
/// boxes and, position by position, the same class, the same text below the name (shape and
/// parameter count) and the same inputs (counted as offsets from the block's start, so a
/// skip connection from the block's first box matches). A run of two or more consecutive
/// identical blocks of at least two boxes each becomes one box. Boxes inside nested-model
/// clusters and shared-layer calls are never folded.
enum RepeatedBlocks {
    static func fold(_ graph: DiagramGraph, measurer: any TextMeasurer, theme: Theme) -> DiagramGraph {
        let n = graph.boxes.count
        var preds = [[Int]](repeating: [], count: n), succs = [[Int]](repeating: [], count: n)
        for e in graph.edges { preds[e.to].append(e.from); succs[e.from].append(e.to) }
        let order = topologicalOrder(n, preds: preds, succs: succs)
        var position = [Int](repeating: 0, count: n)
        for (i, v) in order.enumerated() { position[v] = i }
        let top = order.filter { graph.boxes[$0].cluster == nil }

        // Blocks: split the top-level order after each merge box.
        var blocks: [[Int]] = []
        var current: [Int] = []
        for v in top {
            current.append(v)
            if graph.boxes[v].kind == .merge { blocks.append(current); current = [] }
        }
        func signature(_ block: [Int]) -> [String]? {
            guard block.count >= 2 else { return nil }
            var local: [Int: Int] = [:]
            for (i, v) in block.enumerated() { local[v] = i }
            var sig: [String] = []
            for (i, v) in block.enumerated() {
                let b = graph.boxes[v]
                if b.isShared || b.cluster != nil { return nil }
                let inputs = preds[v].map { p in local[p].map { "\($0)" } ?? "ext\(position[p] - position[block[0]])" }.sorted()
                sig.append("\(i)|\(b.className)|\(b.lines.dropFirst().map(\.text).joined(separator: "|"))|\(inputs.joined(separator: ","))")
            }
            return sig
        }
        let signatures = blocks.map(signature)
        var runs: [(start: Int, count: Int)] = []
        var i = 0
        while i < blocks.count {
            var j = i + 1
            if signatures[i] != nil {
                while j < blocks.count && signatures[j] == signatures[i] { j += 1 }
            }
            if j - i >= 2 { runs.append((i, j - i)) }
            i = j
        }
        if runs.isEmpty { return graph }

        // New boxes: every box outside a run keeps its place; a run becomes one box where its first box was.
        var replacement = [Int](repeating: -1, count: n)
        var folded: [Int: DiagramBox] = [:]
        for run in runs {
            let members = blocks[run.start..<(run.start + run.count)].flatMap { $0 }
            let first = members.min()!
            for m in members { replacement[m] = first }
            folded[first] = foldedBox(graph, members: members.sorted { position[$0] < position[$1] }, blockSize: blocks[run.start].count,
                                      count: run.count, measurer: measurer, theme: theme)
        }
        return graph.folding(replacement, into: folded)
    }

    static func foldedBox(_ graph: DiagramGraph, members: [Int], blockSize: Int, count: Int, measurer: any TextMeasurer, theme: Theme) -> DiagramBox {
        let boxes = members.map { graph.boxes[$0] }
        let first = boxes[0], last = boxes[boxes.count - 1]
        let classes = boxes.prefix(blockSize).map(\.className)
        var distinct: [String] = []
        for c in classes where !distinct.contains(c) { distinct.append(c) }
        var lines = [
            DiagramBox.Line("×\(count) repeated block", DiagramStyle.name(theme)),
            DiagramBox.Line("\(blockSize) layers each: " + distinct.prefix(4).joined(separator: ", ") + (distinct.count > 4 ? ", …" : ""), DiagramStyle.detail(theme)),
            DiagramBox.Line(first.name + " … " + last.name, DiagramStyle.detail(theme)),
        ]
        if last.lines.count > 3 { lines.append(last.lines[2]) }  // the shape line, when shown
        let known = boxes.compactMap(\.params)
        let total: Int? = known.count == boxes.count ? known.reduce(0, +) : nil
        lines.append(DiagramBox.Line(Formatting.count(total) + " params in all", DiagramStyle.detail(theme)))
        var box = DiagramBox(name: first.name, path: first.path, layers: boxes.map(\.path), className: "repeated block", params: total, call: 0, calls: 1,
                             repeatCount: count, kind: .repeated, cluster: nil, lines: lines, stroke: theme.weightedStroke,
                             fill: theme.weightlessFill, lineWidth: 1.2, rect: Rect(0, 0, 0, 0))
        // In a comparison's diagram, blocks that all changed the same way keep their mark.
        if let status = first.diffStatus, boxes.allSatisfy({ $0.diffStatus == status }) {
            box.diffStatus = status
            box.fill = first.fill
            box.stroke = first.stroke
            box.lineWidth = first.lineWidth
            if let note = first.lines.last { box.lines.append(note) }
        }
        box.rect.width = DiagramStyle.width(of: box.lines, measurer: measurer)
        box.rect.height = DiagramStyle.height(of: box.lines)
        return box
    }

    /// Kahn's algorithm, lowest box index first among ready boxes; boxes on a cycle go last.
    static func topologicalOrder(_ n: Int, preds: [[Int]], succs: [[Int]]) -> [Int] {
        var indegree = preds.map(\.count)
        var ready = (0..<n).filter { indegree[$0] == 0 }
        var order: [Int] = []
        var done = [Bool](repeating: false, count: n)
        while !ready.isEmpty {
            ready.sort(by: >)
            let v = ready.removeLast()
            done[v] = true
            order.append(v)
            for s in succs[v] { indegree[s] -= 1; if indegree[s] == 0 { ready.append(s) } }
        }
        return order + (0..<n).filter { !done[$0] }
    }
}
