import Foundation
import Testing
import KerasFormat
import ModelKit
@testable import Reporting

/// The layer diagram's invariants, with the Graphviz-free layered layout and the fixed-width
/// text measurer so every run gives the same drawing.
@Suite struct DiagramTests {
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    static func analysis(_ relative: String) throws -> ModelAnalysis {
        let path = tests.appendingPathComponent("Fixtures").appendingPathComponent(relative).path
        var a = Analyzer.analyze(try ModelFileReader.read(path))
        a.source.file = URL(fileURLWithPath: relative).lastPathComponent
        return a
    }

    static func layout(_ options: DiagramOptions = DiagramOptions(), engine: any GraphLayoutEngine = LayeredLayoutEngine()) -> DiagramLayout {
        DiagramLayout(measurer: ApproximateTextMeasurer(), engine: engine, options: options)
    }

    /// Distance from `p` to the border of `r`.
    static func borderDistance(_ p: Point, _ r: Rect) -> Double {
        let dx = max(r.x - p.x, 0, p.x - r.maxX), dy = max(r.y - p.y, 0, p.y - r.maxY)
        if dx > 0 || dy > 0 { return (dx * dx + dy * dy).squareRoot() }
        return min(p.x - r.x, r.maxX - p.x, p.y - r.y, r.maxY - p.y)
    }

    /// Every edge joins two drawn boxes: its curve starts on the tail's border and ends on the head's.
    static func checkEdges(_ d: Diagram, tolerance: Double = 1.5, sourceLocation: SourceLocation = #_sourceLocation) {
        for e in d.edges {
            #expect(d.boxes.indices.contains(e.from) && d.boxes.indices.contains(e.to), sourceLocation: sourceLocation)
            guard d.boxes.indices.contains(e.from), d.boxes.indices.contains(e.to) else { continue }
            let a = d.boxes[e.from], b = d.boxes[e.to]
            #expect(borderDistance(e.path.start, a.rect) <= tolerance, "edge \(a.path) -> \(b.path) starts \(e.path.start) off \(a.rect)", sourceLocation: sourceLocation)
            #expect(borderDistance(e.path.end, b.rect) <= tolerance, "edge \(a.path) -> \(b.path) ends \(e.path.end) off \(b.rect)", sourceLocation: sourceLocation)
        }
    }

    static func textSizes(_ scene: Scene) -> [Double] {
        scene.primitives.compactMap { if case .text(_, _, let style, _) = $0 { return style.size }; return nil }
    }

    @Test func seedHasOneBoxPerLayerCall() throws {
        let a = try Self.analysis("reference/seed_resnet8/model.json")
        let d = Self.layout().diagram(a)
        #expect(a.rows.count == 30)
        #expect(d.boxes.count == 30)
        #expect(d.boxes.map(\.name) == a.rows.map(\.name))
        #expect(d.engine == "layered" && d.diagnostics.isEmpty)
        // One edge per inbound reference: 29 single-input layers + 3 Adds with two inputs.
        #expect(d.edges.count == a.rows.reduce(0) { $0 + $1.inbound.count })
        #expect(d.edges.count == 32)
        Self.checkEdges(d)
        // Colours follow the weights: 17 layers own weights (DESIGN.md), 3 merges.
        #expect(d.boxes.filter { $0.kind == .weighted }.count == a.counts.withWeights)
        #expect(d.boxes.filter { $0.kind == .merge }.map(\.name) == ["add", "add_1", "add_2"])
        let add = try #require(d.boxes.first { $0.name == "add" })
        let sources = d.edges.filter { d.boxes[$0.to].name == "add" }.map { d.boxes[$0.from].name }.sorted()
        #expect(sources == ["activation", "batch_normalization_2"])
        #expect(add.lines.map(\.text).contains("(None, 32, 32, 16)"))
        #expect(d.boxes.first { $0.name == "conv2d" }?.lines.last?.text == "448 params")
    }

    @Test func seedPagesHoldEveryNameReadably() throws {
        let a = try Self.analysis("reference/seed_resnet8/model.json")
        let pages = Self.layout().pages(a)
        #expect(!pages.scenes.isEmpty)
        let texts = pages.scenes.flatMap(\.texts)
        for row in a.rows { #expect(texts.contains(row.name), "\(row.name) missing") }
        for s in pages.scenes {
            #expect(s.size == Size(595, 842))
            #expect(Self.textSizes(s).allSatisfy { $0 >= Theme.minimumTextSize })
            #expect(s.texts.contains { $0.hasPrefix(a.modelName) })
        }
        // Each box is drawn on exactly one page.
        #expect(pages.pageOfBox.count == 30)
        for row in a.rows { #expect(texts.filter { $0 == row.name }.count == 1) }
        let single = Self.layout().scene(a)
        for row in a.rows { #expect(single.texts.contains(row.name)) }
    }

    @Test func seedDiagramGolden() throws {
        let a = try Self.analysis("reference/seed_resnet8/model.json")
        let pages = Self.layout().pages(a)
        try Golden.compare(pages.scenes.map(\.textDump).joined(separator: "\n"), golden: "seed_diagram.txt")
    }

    @Test func sharedLayerIsDrawnOncePerCall() throws {
        let a = try Self.analysis("reference/case_shared_layer/model.json")
        let d = Self.layout().diagram(a)
        let shared = d.boxes.filter { $0.name == "shared_dense" }
        #expect(shared.count == 2)
        #expect(shared.map(\.call) == [0, 1])
        #expect(shared.allSatisfy { $0.isShared && $0.calls == 2 })
        #expect(Set(shared.map(\.stroke)).count == 1)
        #expect(!d.boxes.filter { !$0.isShared }.contains { $0.stroke == shared[0].stroke })
        #expect(shared.allSatisfy { $0.lines.contains { $0.text.contains("shared ×2") } })
        // left feeds call 1, right feeds call 2, and both calls feed concat.
        func name(_ i: Int) -> String { "\(d.boxes[i].name)#\(d.boxes[i].call)" }
        let edges = Set(d.edges.map { name($0.from) + ">" + name($0.to) })
        #expect(edges == ["x#0>left#0", "x#0>right#0", "left#0>shared_dense#0", "right#0>shared_dense#1",
                          "shared_dense#0>concat#0", "shared_dense#1>concat#0", "concat#0>out#0"])
        Self.checkEdges(d)
    }

    @Test func nestedModelIsALabelledCluster() throws {
        let a = try Self.analysis("reference/case_nested/model.json")
        let d = Self.layout().diagram(a)
        #expect(d.clusters.count == 1)
        let cluster = try #require(d.clusters.first)
        #expect(cluster.label.hasPrefix("encoder"))
        let inside = d.boxes.filter { $0.cluster == 0 }
        #expect(inside.map(\.name) == ["enc_in", "enc_dense1", "enc_bn", "enc_dense2"])
        #expect(inside.map(\.path) == ["encoder/enc_in", "encoder/enc_dense1", "encoder/enc_bn", "encoder/enc_dense2"])
        for b in inside {
            #expect(cluster.rect.contains(Point(b.rect.x, b.rect.y)) && cluster.rect.contains(Point(b.rect.maxX, b.rect.maxY)))
        }
        #expect(!d.boxes.contains { $0.name == "encoder" })
        func name(_ i: Int) -> String { d.boxes[i].name }
        let edges = Set(d.edges.map { name($0.from) + ">" + name($0.to) })
        #expect(edges.contains("features>enc_in"))
        #expect(edges.contains("enc_dense2>add"))
        #expect(edges.contains("skip>add"))
        Self.checkEdges(d)
        let texts = Self.layout().pages(a).scenes.flatMap(\.texts)
        #expect(texts.contains { $0.hasPrefix("encoder") })
    }

    @Test func shapesCanBeHidden() throws {
        let a = try Self.analysis("reference/seed_resnet8/model.json")
        let d = Self.layout(DiagramOptions(showShapes: false)).diagram(a)
        #expect(!d.boxes.flatMap(\.lines).contains { $0.text.hasPrefix("(None") })
        let lr = Self.layout(DiagramOptions(direction: .leftToRight)).diagram(a)
        // Left to right: the input is left of the output.
        #expect(lr.boxes.first!.rect.maxX < lr.boxes.last!.rect.x)
        Self.checkEdges(lr)
    }

    struct FailingEngine: GraphLayoutEngine {
        var name: String { "broken" }
        struct Failure: Error, CustomStringConvertible { var description: String { "no layout today" } }
        func layout(_ graph: LayoutGraph) throws -> GraphLayoutResult { throw Failure() }
    }

    @Test func failingEngineFallsBackWithADiagnostic() throws {
        let a = try Self.analysis("reference/seed_resnet8/model.json")
        let d = Self.layout(engine: FailingEngine()).diagram(a)
        #expect(d.engine == "layered")
        #expect(d.boxes.count == 30)
        #expect(d.diagnostics.count == 1)
        #expect(d.diagnostics.first?.id == "diagram-layout-fallback")
        #expect(d.diagnostics.first?.message.contains("no layout today") == true)
        Self.checkEdges(d)
    }

    @Test func repeatedBlocksFold() throws {
        let a = try Self.analysis("reference/app_ResNet50/model.json")
        let full = Self.layout().diagram(a)
        let folded = Self.layout(DiagramOptions(collapseRepeatedBlocks: true)).diagram(a)
        // Every layer call is still drawn, once, by some box.
        let all = full.boxes.flatMap(\.layers)
        #expect(folded.boxes.flatMap(\.layers).sorted() == all.sorted())
        // ResNet50's identity blocks: 2, 3, 5 and 2 per stage after each stage's first block.
        let runs = folded.boxes.filter { $0.kind == .repeated }
        #expect(runs.map(\.repeatCount) == [2, 3, 5, 2])
        #expect(runs.allSatisfy { $0.layers.count == 10 * $0.repeatCount })
        #expect(folded.boxes.count == full.boxes.count - runs.reduce(0) { $0 + $1.layers.count - 1 })
        Self.checkEdges(folded)
        // Folding does nothing to a model without repeats.
        let seed = try Self.analysis("reference/seed_resnet8/model.json")
        #expect(Self.layout(DiagramOptions(collapseRepeatedBlocks: true)).diagram(seed).boxes.count == 30)
    }
}
