import Foundation
import CairoRendering
import GraphvizLayout
import ModelKit
import Reporting
import Testing
@testable import StrataCLI

/// `strata diff --pdf/--svg`: the new model's diagram with the changes marked and the
/// unchanged regions folded, on the Keras-made pairs of Tests/Fixtures/diff (whose expected
/// answers are what was done to make them).
@Suite struct DiffPicturesTests: CLISuite {
    static let seed = DiffCommandTests.seed
    static func path(_ relative: String) -> String { DiffCommandTests.path(relative) }

    static func render(_ old: String, _ new: String) throws -> (diff: ModelDiff, out: DiffPages.Output) {
        let a = try DiffCommand.open(old), b = try DiffCommand.open(new)
        let diff = ModelDiff.compare(a.input, b.input)
        let out = DiffPages.render(diff, old: a.input.analysis, new: b.input.analysis, version: "test",
                                   measurer: ApproximateTextMeasurer(), engine: LayeredLayoutEngine())
        return (diff, out)
    }

    /// Every layer of the new model is drawn exactly once: in its own box or in a folded one.
    static func drawnOnce(_ d: Diagram, layers: Int) {
        let drawn = d.boxes.filter { $0.kind != .removed }.flatMap(\.layers)
        #expect(drawn.count == layers)
        #expect(Set(drawn).count == layers)
    }

    static func box(_ d: Diagram, _ name: String) -> DiagramBox? { d.boxes.first { $0.path == name } }

    /// The seed with a convolution renamed and a Dropout inserted: the three marked boxes,
    /// the two unchanged stretches folded, every layer drawn once.
    @Test func renameAndInsertionAreMarked() throws {
        let (_, out) = try Self.render(Self.seed, Self.path("diff/renamed_dropout.keras"))
        let d = out.diagram
        #expect(Self.box(d, "dropout_inserted")?.diffStatus == .added)
        #expect(Self.box(d, "stage2_conv")?.diffStatus == .renamed)
        #expect(Self.box(d, "stage2_conv")?.lines.contains { $0.text == "renamed from conv2d_3" } == true)
        #expect(Self.box(d, "flatten")?.diffStatus == .changed)
        #expect(Self.box(d, "flatten")?.lines.contains { $0.text == "inputs: dropout_inserted" } == true)
        // 31 layers: 3 marked, their neighbours, and two folded runs (10 before activation_2, 14 after batch_normalization_3).
        let folded = d.boxes.filter { $0.kind == .folded }
        #expect(folded.map(\.layers.count) == [10, 14])
        Self.drawnOnce(d, layers: 31)
        #expect(out.diagramPageCount == 1)
        // The first page names the changes.
        #expect(out.pages[0].texts.contains("dropout_inserted (Dropout)"))
        #expect(out.pages[0].texts.contains("conv2d_3 → stage2_conv (Conv2D)"))
    }

    /// The other way round: the Dropout is removed, drawn dashed where it was, between the
    /// layer it read and the layer that read it.
    @Test func removedLayerIsDrawnWhereItWas() throws {
        let (diff, out) = try Self.render(Self.path("diff/renamed_dropout.keras"), Self.seed)
        #expect(diff.removedPlaces["dropout_inserted"] == ModelDiff.Place(after: ["average_pooling2d"], before: ["flatten"]))
        let d = out.diagram
        let ghost = try #require(d.boxes.firstIndex { $0.kind == .removed })
        #expect(d.boxes[ghost].name == "dropout_inserted" && d.boxes[ghost].diffStatus == .removed)
        let pool = try #require(d.boxes.firstIndex { $0.path == "average_pooling2d" })
        let flatten = try #require(d.boxes.firstIndex { $0.path == "flatten" })
        #expect(d.edges.contains { $0.from == pool && $0.to == ghost })
        #expect(d.edges.contains { $0.from == ghost && $0.to == flatten })
        Self.drawnOnce(d, layers: 30)
    }

    /// ResNet101 against ResNet50: the 170 added layers are seventeen blocks; sixteen alike
    /// fold into one `×16` box that stays marked as added, so the diagram takes three pages (8 pt text), not twenty.
    @Test func addedBlocksFoldAndKeepTheirMark() throws {
        let (_, out) = try Self.render(Self.path("applications/ResNet50/model.json"), Self.path("applications/ResNet101/model.json"))
        let d = out.diagram
        let repeated = try #require(d.boxes.first { $0.kind == .repeated })
        #expect(repeated.repeatCount == 16 && repeated.diffStatus == .added && repeated.layers.count == 160)
        #expect(d.boxes.filter { $0.diffStatus == .changed }.map(\.path).sorted() == ["conv5_block1_0_conv", "conv5_block1_1_conv"])
        Self.drawnOnce(d, layers: 347)
        #expect(out.diagramPageCount <= 3)
        // The first page lists the 170 additions as one entry with their classes.
        #expect(out.pages[0].texts.contains { $0.hasPrefix("Conv2D ×51, BatchNormalization ×51, Activation ×51, Add ×17") })
    }

    /// One setting changed in the middle of NASNetLarge (1,041 layers): the diagram is the
    /// changed layer, its neighbours and folded runs, on one page.
    @Test func oneChangeInAThousandLayersFitsOnAPage() throws {
        let source = Self.path("applications/NASNetLarge/model.json")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: source))) as? [String: Any])
        var config = try #require(json["config"] as? [String: Any])
        var layers = try #require(config["layers"] as? [[String: Any]])
        let index = try #require(layers.firstIndex { ($0["config"] as? [String: Any])?["name"] as? String == "separable_conv_2_bn_normal_left2_8" })
        var layerConfig = try #require(layers[index]["config"] as? [String: Any])
        layerConfig["epsilon"] = 0.01
        layers[index]["config"] = layerConfig
        config["layers"] = layers
        json["config"] = config
        let changed = FileManager.default.temporaryDirectory.appendingPathComponent("strata-nasnet-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: changed) }
        try JSONSerialization.data(withJSONObject: json).write(to: changed)

        let (diff, out) = try Self.render(source, changed.path)
        #expect(diff.changed.map(\.name) == ["separable_conv_2_bn_normal_left2_8"])
        #expect(diff.changed.first?.changes.map(\.field) == ["config.epsilon"])
        let d = out.diagram
        #expect(Self.box(d, "separable_conv_2_bn_normal_left2_8")?.lines.contains { $0.text.hasPrefix("epsilon: 0.001") } == true)
        #expect(d.boxes.count < 12)
        Self.drawnOnce(d, layers: 1041)
        #expect(out.diagramPageCount == 1)
    }

    /// The comparison's pages as the command draws them (Pango, Graphviz) pass the check the
    /// reports pass: no text below 8 pt, outside its page or over another text.
    @Test(arguments: [
        ("reference/seed_resnet8/model.keras", "diff/renamed_dropout.keras"),
        ("reference/seed_resnet8/model.keras", "diff/retrained_kernel.keras"),
        ("applications/MobileNetV2/model.json", "diff/mobilenetv2_alpha075.json"),
        ("applications/ResNet50/model.json", "applications/ResNet101/model.json"),
    ])
    func comparisonPagesAreReadable(_ old: String, _ new: String) throws {
        let a = try DiffCommand.open(Self.path(old)), b = try DiffCommand.open(Self.path(new))
        let diff = ModelDiff.compare(a.input, b.input)
        let measurer = PangoTextMeasurer()
        let out = DiffPages.render(diff, old: a.input.analysis, new: b.input.analysis, version: "test",
                                   measurer: measurer, engine: GraphvizLayoutEngine())
        #expect(out.pages.count >= 2 && out.diagramPageCount >= 1)
        let problems = SceneCheck.problems(out.pages, measurer: measurer)
        #expect(problems.isEmpty, "\(new): \(problems.count) problems, first: \(problems.prefix(5).map(\.description))")
    }

    /// The command writes both files (a PDF of two pages here: totals, changes and charts;
    /// the diagram) and says so when it cannot.
    @Test func commandWritesThePDFAndTheSVG() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("strata-diff-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let pdf = dir.appendingPathComponent("change.pdf").path, svg = dir.appendingPathComponent("change.svg").path
        let r = run(["diff", Self.seed, Self.path("diff/renamed_dropout.keras"), "--pdf", pdf, "--svg", svg])
        #expect(r.code == 0, "\(r.err)")
        let pdfData = try Data(contentsOf: URL(fileURLWithPath: pdf))
        #expect(pdfData.prefix(5) == Data("%PDF-".utf8))
        let text = String(decoding: pdfData, as: UTF8.self)
        #expect(text.components(separatedBy: "/Type /Page\n").count - 1 + text.components(separatedBy: "/Type /Page ").count - 1 >= 2)
        let svgText = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(svgText.contains("<svg"))
        let bad = run(["diff", Self.seed, Self.seed, "--pdf", dir.appendingPathComponent("missing/x.pdf").path])
        #expect(bad.code == 1 && bad.err.contains("missing/x.pdf: cannot be written"))
    }
}

/// `strata diff --forward`: both models timed in one process, the per-layer times paired
/// through the matching (a renamed layer keeps its old time; an added one has none).
@Suite struct DiffForwardTests: CLISuite {
    @Test func forwardPairsTheLayersThroughTheMatching() throws {
        let r = run(["diff", DiffCommandTests.seed, DiffCommandTests.path("diff/renamed_dropout.keras"), "--forward", "--runs", "3", "--warmup", "1", "--json"])
        #expect(r.code == 0, "\(r.err)")
        let d = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let latency = try #require(d["latency"] as? [String: Any])
        #expect(latency["runs"] as? Int == 3 && latency["warmup"] as? Int == 1)
        #expect((latency["old_ms"] as? Double ?? 0) > 0 && (latency["new_ms"] as? Double ?? 0) > 0)
        let layers = try #require(latency["layers"] as? [[String: Any]])
        // 31 layers less the input.
        #expect(layers.count == 30)
        let byName = Dictionary(uniqueKeysWithValues: layers.map { ($0["name"] as! String, $0) })
        #expect(byName["stage2_conv"]?["old_ms"] is Double && byName["conv2d_3"] == nil)
        #expect(byName["dropout_inserted"]?["old_ms"] is NSNull && byName["dropout_inserted"]?["new_ms"] is Double)
        for l in layers {
            let delta = try #require(l["delta_ms"] as? Double), noise = try #require(l["noise_ms"] as? Double)
            #expect(noise >= 0 && l["measurable"] as? Bool == (abs(delta) > noise))
        }
        #expect(run(["diff", DiffCommandTests.seed, DiffCommandTests.seed, "--fail-on", "latency>5%"]).code == 2)
    }
}
