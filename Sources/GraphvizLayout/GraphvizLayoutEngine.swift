import CGraphviz
import Foundation
import Reporting

/// Lays out a `LayoutGraph` with Graphviz's dot engine, linked as a library (`libgvc`): no
/// `dot` binary, no text round trip. Nodes are fixed-size boxes of the sizes given; clusters
/// become `cluster_<i>` subgraphs (nested through `parent`); edges are splines (never
/// `ortho`, which crashes Graphviz on some graphs). Results are in points, origin top left,
/// y down. libgvc is not thread-safe: every call holds one process-wide lock.
public struct GraphvizLayoutEngine: GraphLayoutEngine {
    public var name: String { "graphviz-dot" }
    /// Gap between boxes of one rank (`nodesep`), in points.
    public var nodeSeparation: Double
    /// Gap between ranks (`ranksep`), in points.
    public var rankSeparation: Double
    /// Font size Graphviz uses to reserve room for a cluster's label, in points.
    public var clusterLabelSize: Double

    public init(nodeSeparation: Double = 14, rankSeparation: Double = 22, clusterLabelSize: Double = 8) {
        self.nodeSeparation = nodeSeparation
        self.rankSeparation = rankSeparation
        self.clusterLabelSize = clusterLabelSize
    }

    static let lock = NSLock()

    public func layout(_ graph: LayoutGraph) throws -> GraphLayoutResult {
        if graph.nodes.isEmpty {
            return GraphLayoutResult(nodes: [], edges: [], clusters: graph.clusters.map { _ in Rect(0, 0, 0, 0) }, size: Size(0, 0))
        }
        for (i, n) in graph.nodes.enumerated() {
            if let c = n.cluster, c < 0 || c >= graph.clusters.count { throw GraphvizLayoutError("node \(i) names cluster \(c), which does not exist") }
        }
        for (i, e) in graph.edges.enumerated() where e.from < 0 || e.from >= graph.nodes.count || e.to < 0 || e.to >= graph.nodes.count {
            throw GraphvizLayoutError("edge \(i) joins \(e.from) to \(e.to), outside 0..<\(graph.nodes.count)")
        }
        Self.lock.lock()
        defer { Self.lock.unlock() }
        return try Self.run(graph, nodesep: nodeSeparation, ranksep: rankSeparation, labelSize: clusterLabelSize)
    }

    /// Everything that touches C pointers; the caller holds the lock.
    private static func run(_ graph: LayoutGraph, nodesep: Double, ranksep: Double, labelSize: Double) throws -> GraphLayoutResult {
        guard let gvc = gvContext() else { throw GraphvizLayoutError("gvContext failed") }
        defer { gvFreeContext(gvc) }
        guard let root = withC("strata", { agopen($0, strata_agdirected(), nil) }) else { throw GraphvizLayoutError("agopen failed") }
        defer { agclose(root) }

        func set(_ obj: UnsafeMutableRawPointer, _ key: String, _ value: String) {
            withC(key) { k in withC(value) { v in withC("") { d in _ = agsafeset(obj, k, v, d) } } }
        }
        let g = UnsafeMutableRawPointer(root)
        set(g, "rankdir", graph.direction.rawValue)
        set(g, "splines", "spline")
        set(g, "nodesep", inches(nodesep))
        set(g, "ranksep", inches(ranksep))

        // Clusters, parents before children (a parent may come after its child in the list).
        var subgraphs = [UnsafeMutablePointer<Agraph_t>?](repeating: nil, count: graph.clusters.count)
        func subgraph(_ i: Int, depth: Int) throws -> UnsafeMutablePointer<Agraph_t> {
            if let s = subgraphs[i] { return s }
            guard depth <= graph.clusters.count else { throw GraphvizLayoutError("cluster parents form a cycle at cluster \(i)") }
            var parent = root
            if let p = graph.clusters[i].parent {
                guard p >= 0, p < graph.clusters.count else { throw GraphvizLayoutError("cluster \(i) names parent \(p), which does not exist") }
                parent = try subgraph(p, depth: depth + 1)
            }
            guard let s = withC("cluster_\(i)", { agsubg(parent, $0, 1) }) else { throw GraphvizLayoutError("agsubg failed for cluster \(i)") }
            let raw = UnsafeMutableRawPointer(s)
            set(raw, "label", graph.clusters[i].label.isEmpty ? " " : graph.clusters[i].label)
            set(raw, "labeljust", "l")
            set(raw, "fontsize", String(labelSize))
            set(raw, "fontname", "DejaVu Sans")
            set(raw, "margin", "8")
            subgraphs[i] = s
            return s
        }
        for i in graph.clusters.indices { _ = try subgraph(i, depth: 0) }

        var nodes: [UnsafeMutablePointer<Agnode_t>] = []
        nodes.reserveCapacity(graph.nodes.count)
        for (i, node) in graph.nodes.enumerated() {
            guard let n = withC("n\(i)", { agnode(root, $0, 1) }) else { throw GraphvizLayoutError("agnode failed for node \(i)") }
            let raw = UnsafeMutableRawPointer(n)
            set(raw, "shape", "box")
            set(raw, "fixedsize", "true")
            set(raw, "label", "")
            set(raw, "width", inches(node.size.width))
            set(raw, "height", inches(node.size.height))
            if let c = node.cluster, let s = subgraphs[c] { _ = agsubnode(s, n, 1) }
            nodes.append(n)
        }
        var edges: [UnsafeMutablePointer<Agedge_t>] = []
        edges.reserveCapacity(graph.edges.count)
        for (i, e) in graph.edges.enumerated() {
            guard let edge = withC("e\(i)", { agedge(root, nodes[e.from], nodes[e.to], $0, 1) }) else { throw GraphvizLayoutError("agedge failed for edge \(i)") }
            edges.append(edge)
        }

        guard gvLayout(gvc, root, "dot") == 0 else {
            let detail = aglasterr().map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
            throw GraphvizLayoutError("dot could not lay out the graph" + (detail.isEmpty ? "" : ": " + detail))
        }
        defer { gvFreeLayout(gvc, root) }

        let bb = strata_gd_bb(root)
        func point(_ p: pointf) -> Point { Point(p.x - bb.LL.x, bb.UR.y - p.y) }
        let rects = zip(nodes, graph.nodes).map { n, node in
            let c = point(strata_nd_coord(n))
            return Rect(c.x - node.size.width / 2, c.y - node.size.height / 2, node.size.width, node.size.height)
        }
        var paths: [BezierPath] = []
        paths.reserveCapacity(edges.count)
        for (i, e) in edges.enumerated() {
            var start: Point?
            var segments: [BezierPath.Segment] = []
            for b in 0..<strata_ed_spl_count(e) {
                let bz = strata_ed_spl_bezier(e, b)
                guard bz.size >= 1, let list = bz.list else { continue }
                let pts = (0..<Int(bz.size)).map { point(list[$0]) }
                if let s = start {
                    let last = segments.last?.end ?? s
                    if last != pts[0] { segments.append(line(last, pts[0])) }
                } else {
                    start = pts[0]
                }
                var k = 1
                while k + 2 < pts.count {
                    segments.append(.init(pts[k], pts[k + 1], pts[k + 2]))
                    k += 3
                }
                if bz.eflag != 0 {
                    // The spline stops at the arrow's base; carry it on to the tip, on the head's border.
                    segments.append(line(segments.last?.end ?? pts[0], point(bz.ep)))
                }
            }
            if let s = start, !segments.isEmpty {
                paths.append(BezierPath(start: s, segments: segments))
            } else {
                // No spline (dot gives every edge one): a straight line between the box centres.
                let a = rects[graph.edges[i].from].center, b = rects[graph.edges[i].to].center
                paths.append(BezierPath(start: a, segments: [line(a, b)]))
            }
        }
        let clusterRects = subgraphs.map { s -> Rect in
            guard let s else { return Rect(0, 0, 0, 0) }
            let cb = strata_gd_bb(s)
            return Rect(cb.LL.x - bb.LL.x, bb.UR.y - cb.UR.y, cb.UR.x - cb.LL.x, cb.UR.y - cb.LL.y)
        }
        return GraphLayoutResult(nodes: rects, edges: paths, clusters: clusterRects,
                                 size: Size(bb.UR.x - bb.LL.x, bb.UR.y - bb.LL.y))
    }

    private static func line(_ a: Point, _ b: Point) -> BezierPath.Segment {
        .init(Point(a.x + (b.x - a.x) / 3, a.y + (b.y - a.y) / 3), Point(a.x + 2 * (b.x - a.x) / 3, a.y + 2 * (b.y - a.y) / 3), b)
    }

    private static func inches(_ points: Double) -> String { String(format: "%.4f", max(points, 0.01) / 72) }
}

/// cgraph takes `char *` everywhere: a mutable, NUL-terminated copy for the call's duration.
private func withC<R>(_ s: String, _ body: (UnsafeMutablePointer<CChar>) throws -> R) rethrows -> R {
    var chars = Array(s.utf8CString)
    return try chars.withUnsafeMutableBufferPointer { try body($0.baseAddress!) }
}
