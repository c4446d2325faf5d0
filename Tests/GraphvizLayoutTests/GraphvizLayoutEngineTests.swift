import Foundation
import Testing
import KerasFormat
import ModelKit
import Reporting
@testable import GraphvizLayout

/// Graphviz's dot, used as a library: boxes of the sizes given, no overlaps, edges from
/// border to border, clusters around their boxes, and a 1,041-layer model on readable pages.
@Suite struct GraphvizLayoutEngineTests {
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    static func analysis(_ relative: String) throws -> ModelAnalysis {
        let path = tests.appendingPathComponent("Fixtures").appendingPathComponent(relative).path
        return Analyzer.analyze(try ModelFileReader.read(path))
    }

    static func borderDistance(_ p: Point, _ r: Rect) -> Double {
        let dx = max(r.x - p.x, 0, p.x - r.maxX), dy = max(r.y - p.y, 0, p.y - r.maxY)
        if dx > 0 || dy > 0 { return (dx * dx + dy * dy).squareRoot() }
        return min(p.x - r.x, r.maxX - p.x, p.y - r.y, r.maxY - p.y)
    }

    static func overlap(_ a: Rect, _ b: Rect) -> Bool { a.x < b.maxX && b.x < a.maxX && a.y < b.maxY && b.y < a.maxY }

    @Test func smallGraphBoxesDoNotOverlap() throws {
        // A diamond with a skip edge and one cluster of two nodes.
        let sizes = [Size(80, 30), Size(120, 40), Size(60, 30), Size(100, 36), Size(90, 30)]
        let graph = LayoutGraph(nodes: sizes.enumerated().map { LayoutGraph.Node(size: $0.element, cluster: $0.offset == 1 || $0.offset == 3 ? 0 : nil) },
                                edges: [.init(from: 0, to: 1), .init(from: 0, to: 2), .init(from: 1, to: 3), .init(from: 2, to: 3), .init(from: 3, to: 4), .init(from: 0, to: 4)],
                                clusters: [.init(label: "inner")])
        for direction in [LayoutGraph.Direction.topToBottom, .leftToRight] {
            var g = graph
            g.direction = direction
            let r = try GraphvizLayoutEngine().layout(g)
            #expect(r.nodes.count == 5 && r.edges.count == 6 && r.clusters.count == 1)
            for (rect, size) in zip(r.nodes, sizes) { #expect(abs(rect.width - size.width) < 0.01 && abs(rect.height - size.height) < 0.01) }
            for i in 0..<5 { for j in (i + 1)..<5 { #expect(!Self.overlap(r.nodes[i], r.nodes[j]), "boxes \(i) and \(j) overlap") } }
            for (e, path) in zip(g.edges, r.edges) {
                #expect(Self.borderDistance(path.start, r.nodes[e.from]) < 1.5, "\(e) starts at \(path.start), box \(r.nodes[e.from])")
                #expect(Self.borderDistance(path.end, r.nodes[e.to]) < 1.5, "\(e) ends at \(path.end), box \(r.nodes[e.to])")
            }
            for i in [1, 3] {
                #expect(r.clusters[0].contains(Point(r.nodes[i].x, r.nodes[i].y)) && r.clusters[0].contains(Point(r.nodes[i].maxX, r.nodes[i].maxY)))
            }
            for rect in r.nodes { #expect(rect.x >= -0.01 && rect.y >= -0.01 && rect.maxX <= r.size.width + 0.01 && rect.maxY <= r.size.height + 0.01) }
            // The flow goes the way asked: node 0 before node 4.
            if direction == .topToBottom { #expect(r.nodes[0].maxY < r.nodes[4].y) } else { #expect(r.nodes[0].maxX < r.nodes[4].x) }
        }
    }

    @Test func badGraphThrows() {
        let g = LayoutGraph(nodes: [.init(size: Size(10, 10))], edges: [.init(from: 0, to: 3)])
        #expect(throws: GraphvizLayoutError.self) { try GraphvizLayoutEngine().layout(g) }
    }

    @Test func seedAndNestedDiagrams() throws {
        let layout = DiagramLayout(measurer: ApproximateTextMeasurer(), engine: GraphvizLayoutEngine())
        for fixture in ["reference/seed_resnet8/model.json", "reference/case_nested/model.json", "reference/case_shared_layer/model.json"] {
            let a = try Self.analysis(fixture)
            let d = layout.diagram(a)
            #expect(d.engine == "graphviz-dot" && d.diagnostics.isEmpty)
            for e in d.edges {
                #expect(Self.borderDistance(e.path.start, d.boxes[e.from].rect) < 1.5, "\(fixture): \(d.boxes[e.from].path) -> \(d.boxes[e.to].path) start")
                #expect(Self.borderDistance(e.path.end, d.boxes[e.to].rect) < 1.5, "\(fixture): \(d.boxes[e.from].path) -> \(d.boxes[e.to].path) end")
            }
            for i in d.boxes.indices { for j in d.boxes.indices where j > i { #expect(!Self.overlap(d.boxes[i].rect, d.boxes[j].rect)) } }
            for (ci, c) in d.clusters.enumerated() {
                for b in d.boxes where b.cluster == ci { #expect(c.rect.contains(Point(b.rect.x, b.rect.y)) && c.rect.contains(Point(b.rect.maxX, b.rect.maxY))) }
            }
        }
    }

    @Test func nasnetLargeLaysOutOnReadablePages() throws {
        let a = try Self.analysis("applications/NASNetLarge/model.json")
        let layout = DiagramLayout(measurer: ApproximateTextMeasurer(), engine: GraphvizLayoutEngine())
        let clock = ContinuousClock()
        var diagram: Diagram?
        let layoutTime = clock.measure { diagram = layout.diagram(a) }
        let d = try #require(diagram)
        var pages: DiagramPages?
        let pageTime = clock.measure { pages = layout.pages(d) }
        let p = try #require(pages)
        print("NASNetLarge: \(d.boxes.count) boxes, \(d.edges.count) edges, diagram \(Int(d.size.width))x\(Int(d.size.height)) pt, layout \(layoutTime), pages \(pageTime), \(p.scenes.count) pages at scale \(p.scale)")
        #expect(a.rows.count == 1041)
        #expect(d.engine == "graphviz-dot")
        #expect(d.boxes.count == a.leafRows.reduce(0) { $0 + max($1.calls, 1) })
        for s in p.scenes {
            for prim in s.primitives { if case .text(_, _, let style, _) = prim { #expect(style.size >= Theme.minimumTextSize) } }
        }
        let texts = Set(p.scenes.flatMap(\.texts))
        let missing = a.rows.map(\.name).filter { !texts.contains($0) }
        #expect(missing.isEmpty, "names not drawn: \(missing.prefix(5))")
    }
}
