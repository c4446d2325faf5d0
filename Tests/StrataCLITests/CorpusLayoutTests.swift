import Foundation
import CairoRendering
import ModelKit
import Reporting
import Testing
@testable import StrataCLI

/// Issue 16's layout checks over the whole Keras corpus (every keras.applications model, the
/// reference models in each form Keras wrote them, and the examples), each PDF as `strata render` draws it in the default detail, with Pango's
/// own measurements: no text below 8 pt, outside its page, or over another text (the
/// cross-page edge markers included); and the page goal, 8 + layers / 50 pages, with the
/// diagram (overview and block types) in at most 6 pages.
@Suite(.serialized) struct CorpusLayoutTests {
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    static var corpus: [String] {
        let fm = FileManager.default
        let apps = tests.appendingPathComponent("Fixtures/applications").path
        var out = ((try? fm.contentsOfDirectory(atPath: apps)) ?? []).sorted().map { "\(apps)/\($0)/model.json" }
        // The reference models Keras wrote (JSON, .keras, Keras 2 JSON and .h5).
        let reference = tests.appendingPathComponent("Fixtures/reference").path
        for dir in ((try? fm.contentsOfDirectory(atPath: reference)) ?? []).sorted() {
            let files = ((try? fm.contentsOfDirectory(atPath: "\(reference)/\(dir)")) ?? []).sorted()
            out += files.filter { $0.hasPrefix("model") && ($0.hasSuffix(".json") || $0.hasSuffix(".keras") || $0.hasSuffix(".h5")) }
                .map { "\(reference)/\(dir)/\($0)" }
        }
        let examples = tests.deletingLastPathComponent().appendingPathComponent("Examples").path
        out += ((try? fm.contentsOfDirectory(atPath: examples)) ?? []).sorted()
            .filter { !$0.hasSuffix(".onnx") && !$0.hasPrefix(".") }.map { "\(examples)/\($0)" }
        return out
    }

    @Test func corpusIsComplete() {
        // 40 applications (ConvNeXt to Xception) and the Keras examples.
        #expect(Self.corpus.filter { $0.contains("/applications/") }.count == 40)
        #expect(Self.corpus.count > 45)
    }

    /// The transformer example (scripts/make_transformer_example.py): six encoder layers of
    /// 9 layers each, one type, one run. Parameters by hand, width 64, 4 heads of 16, FFN
    /// 256: attention 3 × (64·64 + 64) + (64·64 + 64) = 16,640; two LayerNormalizations
    /// 2 × 128; FFN 64·256 + 256 = 16,640 and 256·64 + 64 = 16,448; 49,984 a block.
    @Test func transformerExampleIsSixEncoderLayers() throws {
        let path = Self.tests.deletingLastPathComponent().appendingPathComponent("Examples/text_transformer_encoder.keras").path
        let a = Analyzer.analyze(try FormatRegistry.standard.open(path).graph)
        let s = BlockStructure.detect(a)
        #expect(s.blocks.map(\.name) == (0..<6).map { "encoder_\($0)" })
        #expect(s.types.count == 1 && s.types.first?.label == "Transformer" && s.types.first?.layers == 9)
        #expect(s.runs.count == 1 && s.runs.first?.blocks.count == 6)
        #expect(s.blocks.allSatisfy { $0.params == 49_984 })
        #expect(BlockOverview.applies(a, s))
    }

    /// One mechanism for every format: the seed ResNet-8 has three residual blocks (one with
    /// an identity shortcut, two with a 1×1 projection) as Keras wrote it and as tf2onnx
    /// exported it, where each Keras layer is a module of op scopes
    /// (`batch_normalization_1/batchnorm/mul_1`: a layer, not a block) and a normalization
    /// is a Mul and an Add of constants (no merge).
    @Test func seedHasThreeResidualBlocksInEveryFormat() throws {
        let examples = Self.tests.deletingLastPathComponent().appendingPathComponent("Examples").path
        for file in ["resnet8_cifar10.keras", "resnet8_cifar10_tf2onnx.onnx"] {
            let a = Analyzer.analyze(try FormatRegistry.standard.open("\(examples)/\(file)").graph)
            let s = BlockStructure.detect(a)
            #expect(s.blocks.count == 3, "\(file): \(s.blocks.map(\.name))")
            #expect(s.types.allSatisfy { $0.label.hasPrefix("residual") }, "\(file): \(s.types.map(\.label))")
            #expect(s.types.map(\.count).sorted() == [1, 2], "\(file)")
        }
    }

    /// A timed model's overview, shaded by latency as `report.shade: latency` asks: the legend
    /// speaks of time, each box gives its time, and the page still passes the checks.
    @Test func timedOverviewShadedByTime() throws {
        let path = Self.tests.appendingPathComponent("Fixtures/applications/ResNet50/model.json").path
        let a = Analyzer.analyze(try FormatRegistry.standard.open(path).graph)
        var doc = ReportDocument(analysis: a, generatedAt: "2026-12-04T00:00:00Z")
        // Every layer call 1 ms: conv2_block1 … conv2_block3 is its 3 × 10 + 2 layers (the
        // first block's shortcut convolution and normalization), 32 ms.
        let calls = a.rows.filter { $0.className != "InputLayer" }.map { ForwardTiming.LayerTime(name: $0.name, className: $0.className, medianMs: 1) }
        doc.timing = ForwardTiming(runs: 1, requestedRuns: 1, warmup: 0, threads: 1, requestedThreads: 1, runMs: [Double(calls.count)],
                                   layers: calls, instrumentedRuns: 1, peakRSSBytes: nil, backend: "test")
        let measurer = PangoTextMeasurer()
        var options = DiagramOptions()
        options.shade = .latency
        let out = try ModelRenderer(formats: [.pdf], diagram: options, measurer: measurer).render(doc)
        let overview = try #require(out.pages.first { $0.title.contains(" · overview") })
        #expect(overview.texts.contains("≥ 40 % of the time") && !overview.texts.contains { $0.contains("of parameters") })
        let conv2 = a.rows.filter { $0.name.hasPrefix("conv2_") }.count
        #expect(conv2 == 32)
        #expect(overview.texts.contains { $0.hasSuffix(" · 32.0 ms" + String(format: " (%.1f%%)", 3200 / Double(calls.count))) }, "\(overview.texts)")
        #expect(SceneCheck.problems(out.pages, measurer: measurer).isEmpty)
    }

    @Test(arguments: corpus)
    func pagesAreReadableAndWithinTheGoal(_ path: String) throws {
        let opened = try FormatRegistry.standard.open(path)
        let a = Analyzer.analyze(opened.graph)
        let doc = ReportDocument(analysis: a, generatedAt: "2026-12-04T00:00:00Z")
        let measurer = PangoTextMeasurer()
        let out = try ModelRenderer(formats: [.pdf], measurer: measurer).render(doc)
        let file = (path as NSString).lastPathComponent
        let name = file.hasPrefix("model") ? "\(((path as NSString).deletingLastPathComponent as NSString).lastPathComponent)/\(file)" : file
        let problems = SceneCheck.problems(out.pages, measurer: measurer)
        #expect(problems.isEmpty, "\(name): \(problems.count) problems, first: \(problems.prefix(5).map(\.description))")
        let goal = 8 + Double(a.counts.topLevelLayers) / 50
        #expect(Double(out.pageCount) <= goal, "\(name): \(out.pageCount) pages for \(a.counts.topLevelLayers) layers (goal \(goal))")
        let s = BlockStructure.detect(a)
        if BlockOverview.applies(a, s) {
            let diagram = out.pages.filter { $0.title.contains(" · overview") || $0.title.contains(" · drawn: ") }
            #expect(diagram.count <= 6, "\(name): \(diagram.count) diagram pages")
            #expect(out.pages.filter { $0.title.contains(" · overview") }.count == 1, "\(name): the overview fits one page")
        }
    }
}
