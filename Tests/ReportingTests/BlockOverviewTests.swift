import Foundation
import Testing
import KerasFormat
import ModelKit
@testable import Reporting

/// The diagram levels of issue 16 on keras.applications models: the overview (each stage of
/// blocks one box) fits one page, loses no parameter, and keeps the graph connected; each
/// block type's diagram fits one page; the Markdown shows the overview first.
@Suite struct BlockOverviewTests {
    static let models = ["ResNet50", "ResNet152", "EfficientNetB0", "EfficientNetB7", "DenseNet121", "MobileNetV2", "ConvNeXtTiny"]

    static func analysis(_ m: String) throws -> ModelAnalysis { try DiagramTests.analysis("applications/\(m)/model.json") }

    @Test(arguments: models)
    func overviewFitsOnePageAndKeepsEveryParameter(_ m: String) throws {
        let a = try Self.analysis(m)
        let s = BlockStructure.detect(a)
        let overview = try #require(BlockOverview.overview(a, s), "\(m) has blocks")
        #expect(checkedSum(overview.rows.map(\.params)) == a.totals.params, "\(m): the overview's boxes sum to the model's parameters")
        // Inline operations inside blocks (ConvNeXt's `inputs + x`) fold with their stage.
        let inBlocks = Set(s.operationBlock.indices.filter { s.operationBlock[$0] != nil }.map { a.operations[$0].name })
        #expect(!overview.operations.contains { inBlocks.contains($0.name) }, "\(m)")
        // Far fewer boxes than layers: stages, stem and head.
        #expect(overview.rows.count <= 16, "\(m): \(overview.rows.count) boxes")
        var layout = DiagramTests.layout()
        layout.options.paramsOnClassLine = true  // as the renderer draws the overview
        #expect(layout.pages(layout.diagram(overview)).scenes.count == 1, "\(m)")
        // Every box but the first reads from another box (the chain is not broken).
        let names = Set(overview.rows.map(\.name))
        for row in overview.rows.dropFirst() {
            #expect(row.inbound.contains { names.contains($0) }, "\(m): \(row.name) reads \(row.inbound)")
        }
    }

    @Test(arguments: ["ResNet50", "EfficientNetB0", "DenseNet121"])
    func eachBlockTypeFitsOnePage(_ m: String) throws {
        let a = try Self.analysis(m)
        let s = BlockStructure.detect(a)
        let layout = DiagramTests.layout()
        for t in BlockOverview.typeDetails(a, s) {
            #expect(layout.pages(layout.diagram(t)).scenes.count == 1, "\(t.modelName)")
        }
    }

    /// Normalization and activation after a layer that feeds only them are drawn in its box
    /// (Conv2D → BatchNormalization → Activation), their parameters added: ResNet50's
    /// conv2_block1 (12 layers) draws as 5 boxes (the 1×1 shortcut, 3 main-path
    /// convolutions with their normalizations and activations, the Add with its activation).
    @Test func chainsDrawInOneBox() throws {
        let a = try Self.analysis("ResNet50")
        let s = BlockStructure.detect(a)
        let block = s.blocks[0]
        let compact = BlockOverview.compact(block.rows.map { a.rows[$0] })
        #expect(compact.count == 5, "\(compact.map(\.className))")
        #expect(checkedSum(compact.map(\.params)) == block.params)
        #expect(compact.contains { $0.className == "Conv2D → BatchNormalization → Activation" })
    }

    /// A small model without repeated blocks keeps its one diagram.
    /// NASNet's cells are too big for a page in full detail: drawn with each chain of layers
    /// in one box, named by its first layer with a kernel (not the ReLU that starts it), the
    /// chain's parameters summed, and the cell's connections kept.
    @Test func chainedCellsAreNamedByTheirKernel() throws {
        let a = try Self.analysis("NASNetMobile")
        let s = BlockStructure.detect(a)
        let full = BlockOverview.typeDetails(a, s)
        let chained = BlockOverview.typeDetails(a, s, chains: true)
        #expect(full.count == 2 && chained.count == 2)  // normal and reduction cells
        for (f, c) in zip(full, chained) {
            #expect(c.rows.count < f.rows.count)
            #expect(checkedSum(c.rows.map(\.params)) == checkedSum(f.rows.map(\.params)))
            #expect(!c.rows.contains { $0.name.hasPrefix("activation") && $0.className.contains("SeparableConv2D") }, "\(c.modelName)")
            let names = Set(c.rows.map(\.name))
            // A box reads another box, or something outside the cell: never a folded layer.
            let folded = Set(f.rows.map(\.name)).subtracting(names)
            for r in c.rows { for src in r.inbound { #expect(!folded.contains(src), "\(r.name) reads \(src)") } }
        }
    }

    /// A timing by hand: every layer call and inline operation of EfficientNetB0 takes 1 ms,
    /// and `block2a_expand_conv` is called a second time for 0.5 ms.
    static func oneMillisecondEach(_ a: ModelAnalysis) -> ForwardTiming {
        let calls = a.rows.filter { $0.className != "InputLayer" }.map(\.name) + a.operations.map(\.name)
        let layers = calls.map { ForwardTiming.LayerTime(name: $0, className: "", medianMs: 1) }
            + [ForwardTiming.LayerTime(name: "block2a_expand_conv (call 2)", className: "Conv2D", medianMs: 0.5)]
        return ForwardTiming(runs: 1, requestedRuns: 1, warmup: 0, threads: 1, requestedThreads: 1, runMs: [300], layers: layers,
                             instrumentedRuns: 1, peakRSSBytes: nil, backend: "test")
    }

    /// Each overview box's time is the sum of its layers' times: the layers Keras names
    /// `block2…` (both calls of one of them), the six after block7a (top_conv … predictions).
    @Test func overviewBoxesSumTheirLayersTimes() throws {
        let a = try Self.analysis("EfficientNetB0")
        let (overview, groupOf) = try #require(BlockOverview.overviewAndGroups(a, BlockStructure.detect(a)))
        let t = Self.oneMillisecondEach(a)
        let times = BlockOverview.boxTimes(t, groupOf: groupOf)
        let block2 = a.rows.filter { $0.name.hasPrefix("block2") }.count
        #expect(block2 == 29)
        #expect(times["block2a … block2b"] == Double(block2) + 0.5)
        #expect(times["head"] == 6)
        #expect(abs(times.values.reduce(0, +) - t.layerSumMs) < 1e-9)
        #expect(Set(times.keys).isSubset(of: Set(overview.rows.map(\.name) + overview.operations.map(\.name))))
        #expect(BlockOverview.callBase("conv (call 12)") == "conv" && BlockOverview.callBase("conv (call two)") == "conv (call two)")

        // Drawn: the time and its share after the output shape; filled by that share when
        // the overview is shaded by latency (29.5 of some 240 ms: the 5–15 % step).
        var layout = DiagramTests.layout()
        layout.options.paramsOnClassLine = true
        layout.options.shadeByParamsOf = a.totals.params  // as the renderer draws the overview
        layout.options.timeTotalMs = t.layerSumMs
        layout.options.boxTimes = times
        layout.options.shade = .latency
        let box = try #require(layout.diagram(overview).boxes.first { $0.name == "block2a … block2b" })
        let share = 29.5 / t.layerSumMs
        try #require(share >= 0.05 && share < 0.15)
        #expect(box.lines.last?.text == "(None, 56, 56, 24) · 29.5 ms" + String(format: " (%.1f%%)", share * 100), "\(box.lines.map(\.text))")
        #expect(box.fill == Color(hex: 0xC6DBEF))
        layout.options.shade = .params
        let byParams = try #require(layout.diagram(overview).boxes.first { $0.name == "block2a … block2b" })
        #expect(byParams.fill == BlockOverview.shareFill(17_770, total: a.totals.params))
    }

    /// The Markdown of a timed model built from blocks lists each overview box's time.
    @Test func markdownListsTheTimeOfEachStage() throws {
        let a = try Self.analysis("EfficientNetB0")
        var doc = ReportDocument(analysis: a)
        doc.timing = Self.oneMillisecondEach(a)
        let md = try MarkdownReport.render(doc, templatesFolder: nil)
        let share = String(format: "%.1f %%", 29.5 / doc.timing!.layerSumMs * 100)
        #expect(md.contains("| block2a … block2b | 2 MBConv blocks · 29 layers | 17,770 | 29.5 ms | \(share) |"), "\(md)")
        #expect(md.contains("| head | 6 layers | 1,695,720 | 6.00 ms |"))
        let untimed = try MarkdownReport.render(ReportDocument(analysis: a), templatesFolder: nil)
        #expect(!untimed.contains("By box of the overview"))
    }

    @Test func smallModelsHaveNoOverview() throws {
        let a = try DiagramTests.analysis("reference/seed_resnet8/model.keras")
        #expect(BlockOverview.overview(a, BlockStructure.detect(a)) == nil)
    }

    @Test func markdownShowsTheOverviewFirst() throws {
        let a = try Self.analysis("ResNet50")
        let md = try MarkdownReport.render(ReportDocument(analysis: a), templatesFolder: nil)
        let overview = try #require(md.range(of: "overview.svg"))
        let full = try #require(md.range(of: "diagram.svg"))
        #expect(overview.lowerBound < full.lowerBound)
        #expect(md.contains("block-1.svg") && md.contains("block-2.svg"))
    }
}
