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
