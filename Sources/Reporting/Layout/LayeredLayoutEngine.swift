/// A simple layered layout in pure Swift, used when Graphviz fails and in tests that must
/// not depend on Graphviz: longest-path layering along the flow, order within a layer by the
/// barycenter of the nodes feeding it (a few sweeps), each layer centred, edges as gentle
/// S-curves from the tail box's border to the head box's border, clusters as the bounding
/// boxes of their nodes (and inner clusters) with room for a label on top. Deterministic.
/// Edges that skip layers leave and enter boxes at the side and bow out past the boxes
/// between (they are not routed around clusters).
public struct LayeredLayoutEngine: GraphLayoutEngine {
    public var name: String { "layered" }
    /// Gap between boxes of one layer and between layers, in points.
    public var nodeSeparation: Double
    public var rankSeparation: Double
    /// Padding inside a cluster's box, and the extra room above for its label.
    public var clusterPadding: Double
    public var clusterLabelHeight: Double

    public init(nodeSeparation: Double = 14, rankSeparation: Double = 30, clusterPadding: Double = 6, clusterLabelHeight: Double = 12) {
        self.nodeSeparation = nodeSeparation
        self.rankSeparation = rankSeparation
        self.clusterPadding = clusterPadding
        self.clusterLabelHeight = clusterLabelHeight
    }

    public func layout(_ graph: LayoutGraph) throws -> GraphLayoutResult {
        let n = graph.nodes.count
        let vertical = graph.direction == .topToBottom
        let edges = graph.edges.filter { $0.from >= 0 && $0.from < n && $0.to >= 0 && $0.to < n }

        // Longest-path layering (Kahn order, lowest index first; nodes on a cycle go last).
        var preds = [[Int]](repeating: [], count: n), succs = [[Int]](repeating: [], count: n)
        var indegree = [Int](repeating: 0, count: n)
        for e in edges where e.from != e.to {
            preds[e.to].append(e.from); succs[e.from].append(e.to); indegree[e.to] += 1
        }
        var order: [Int] = []
        var ready = (0..<n).filter { indegree[$0] == 0 }
        var done = [Bool](repeating: false, count: n)
        while !ready.isEmpty {
            ready.sort(by: >)
            let v = ready.removeLast()
            done[v] = true
            order.append(v)
            for s in succs[v] { indegree[s] -= 1; if indegree[s] == 0 { ready.append(s) } }
        }
        order += (0..<n).filter { !done[$0] }
        var rank = [Int](repeating: 0, count: n)
        var placed = [Bool](repeating: false, count: n)
        for v in order {
            rank[v] = preds[v].filter { placed[$0] }.map { rank[$0] + 1 }.max() ?? 0
            placed[v] = true
        }
        let rankCount = (rank.max() ?? -1) + 1
        var layers = [[Int]](repeating: [], count: rankCount)
        for v in order { layers[rank[v]].append(v) }

        // Order within layers: barycenters, down then up, a few sweeps; nodes of one cluster kept together.
        var position = [Double](repeating: 0, count: n)
        func renumber() { for layer in layers { for (i, v) in layer.enumerated() { position[v] = Double(i) } } }
        func clusterKey(_ v: Int) -> Int { graph.nodes[v].cluster.map { topCluster($0, graph) } ?? -1 }
        func sortLayer(_ r: Int, by neighbours: [[Int]]) {
            let bary = layers[r].map { v -> (Int, Double) in
                let ns = neighbours[v]
                return (v, ns.isEmpty ? position[v] : ns.map { position[$0] }.reduce(0, +) / Double(ns.count))
            }
            var sorted = bary.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
            // Keep cluster members adjacent, at the place of their first member.
            var grouped: [(Int, Double)] = []
            var seen = Set<Int>()
            for item in sorted {
                let key = clusterKey(item.0)
                if key < 0 { grouped.append(item); continue }
                if seen.insert(key).inserted { grouped += sorted.filter { clusterKey($0.0) == key } }
            }
            sorted = grouped
            layers[r] = sorted.map(\.0)
        }
        renumber()
        for _ in 0..<4 {
            for r in layers.indices.dropFirst() { sortLayer(r, by: preds); renumber() }
            for r in layers.indices.reversed().dropFirst() { sortLayer(r, by: succs); renumber() }
        }

        // Coordinates: along = the flow axis, across = within a layer.
        func along(_ s: Size) -> Double { vertical ? s.height : s.width }
        func across(_ s: Size) -> Double { vertical ? s.width : s.height }
        let clusterDepth = graph.clusters.indices.map { depth($0, graph) }
        let maxDepth = clusterDepth.max().map { $0 + 1 } ?? 0
        let extra = Double(maxDepth) * (clusterPadding * 2 + clusterLabelHeight)
        let layerAlong = layers.map { $0.map { along(graph.nodes[$0].size) }.max() ?? 0 }
        let layerAcross = layers.map { l in l.map { across(graph.nodes[$0].size) }.reduce(0, +) + Double(max(l.count - 1, 0)) * (nodeSeparation + extra) }
        let widest = layerAcross.max() ?? 0
        let margin = 4 + extra
        var rects = [Rect](repeating: Rect(0, 0, 0, 0), count: n)
        var cursor = margin
        for (r, layer) in layers.enumerated() {
            var a = margin + (widest - layerAcross[r]) / 2
            for v in layer {
                let s = graph.nodes[v].size
                let offset = cursor + (layerAlong[r] - along(s)) / 2
                rects[v] = vertical ? Rect(a, offset, s.width, s.height) : Rect(offset, a, s.width, s.height)
                a += across(s) + nodeSeparation + extra
            }
            cursor += layerAlong[r] + rankSeparation + extra
        }

        // Edges between neighbouring layers: S-curves from the tail's far border to the head's
        // near border. Longer (skip) edges leave and enter at the side and bow out beyond the
        // boxes of the layers they jump over, so they do not run through them.
        let paths = graph.edges.map { e -> BezierPath in
            guard e.from >= 0, e.from < n, e.to >= 0, e.to < n else { return BezierPath(start: Point(0, 0), segments: []) }
            let a = rects[e.from], b = rects[e.to]
            if rank[e.to] - rank[e.from] > 1 {
                let between = (rank[e.from]...rank[e.to]).flatMap { layers[$0] }.map { rects[$0] }
                let start = vertical ? Point(a.maxX, a.center.y) : Point(a.center.x, a.maxY)
                let end = vertical ? Point(b.maxX, b.center.y) : Point(b.center.x, b.maxY)
                let outer = (vertical ? between.map(\.maxX).max()! : between.map(\.maxY).max()!) + nodeSeparation / 2
                // A cubic's midpoint is (s + 3 c1 + 3 c2 + e) / 8: put it at `outer`.
                let base = vertical ? (start.x + end.x) / 2 : (start.y + end.y) / 2
                let control = (8 * outer - 2 * base) / 6
                let c1 = vertical ? Point(control, start.y) : Point(start.x, control)
                let c2 = vertical ? Point(control, end.y) : Point(end.x, control)
                return BezierPath(start: start, segments: [.init(c1, c2, end)])
            }
            let start = vertical ? Point(a.center.x, a.maxY) : Point(a.maxX, a.center.y)
            let end = vertical ? Point(b.center.x, b.y) : Point(b.x, b.center.y)
            let bend = vertical ? (end.y - start.y) / 2 : (end.x - start.x) / 2
            let c1 = vertical ? Point(start.x, start.y + bend) : Point(start.x + bend, start.y)
            let c2 = vertical ? Point(end.x, end.y - bend) : Point(end.x - bend, end.y)
            return BezierPath(start: start, segments: [.init(c1, c2, end)])
        }

        // Clusters: innermost first, so a parent's box takes in its children's.
        var clusterRects = [Rect?](repeating: nil, count: graph.clusters.count)
        for c in graph.clusters.indices.sorted(by: { clusterDepth[$0] != clusterDepth[$1] ? clusterDepth[$0] > clusterDepth[$1] : $0 < $1 }) {
            var box: Rect?
            for v in 0..<n where graph.nodes[v].cluster == c { box = union(box, rects[v]) }
            for d in graph.clusters.indices where graph.clusters[d].parent == c { if let r = clusterRects[d] { box = union(box, r) } }
            clusterRects[c] = box.map { Rect($0.x - clusterPadding, $0.y - clusterPadding - clusterLabelHeight,
                                             $0.width + 2 * clusterPadding, $0.height + 2 * clusterPadding + clusterLabelHeight) }
        }
        var all = rects + clusterRects.compactMap { $0 }
        // Skip edges bow out beyond the boxes: sample them for the drawing's size.
        for p in paths {
            var from = p.start
            for seg in p.segments {
                for t in [0.25, 0.5, 0.75] {
                    let u = 1 - t
                    let x = u * u * u * from.x + 3 * u * u * t * seg.control1.x + 3 * u * t * t * seg.control2.x + t * t * t * seg.end.x
                    let y = u * u * u * from.y + 3 * u * u * t * seg.control1.y + 3 * u * t * t * seg.control2.y + t * t * t * seg.end.y
                    all.append(Rect(x, y, 0, 0))
                }
                from = seg.end
            }
        }
        if all.isEmpty { all = [Rect(0, 0, 0, 0)] }
        let width = all.map(\.maxX).max()! + 4, height = all.map(\.maxY).max()! + 4
        return GraphLayoutResult(nodes: rects, edges: paths, clusters: clusterRects.map { $0 ?? Rect(0, 0, 0, 0) }, size: Size(width, height))
    }

    private func union(_ a: Rect?, _ b: Rect) -> Rect {
        guard let a else { return b }
        let x = min(a.x, b.x), y = min(a.y, b.y)
        return Rect(x, y, max(a.maxX, b.maxX) - x, max(a.maxY, b.maxY) - y)
    }

    private func depth(_ c: Int, _ graph: LayoutGraph) -> Int {
        var d = 0, p = graph.clusters[c].parent
        while let q = p, d <= graph.clusters.count { d += 1; p = graph.clusters[q].parent }
        return d
    }

    private func topCluster(_ c: Int, _ graph: LayoutGraph) -> Int {
        var c = c, steps = 0
        while let p = graph.clusters[c].parent, steps <= graph.clusters.count { c = p; steps += 1 }
        return c
    }
}
