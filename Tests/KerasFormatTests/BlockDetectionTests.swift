import Foundation
import Testing
import ModelKit
@testable import KerasFormat

/// Block detection on keras.applications models, against the architectures as their papers
/// describe them: ResNet50 has 3, 4, 6 and 3 bottleneck blocks in four stages, the first of
/// each stage with a projection shortcut (two more layers); ResNet152 3, 8, 36, 3;
/// DenseNet121 6, 12, 24 and 16 dense layers; EfficientNetB0 16 MBConv blocks in 7 stages
/// (1, 2, 2, 3, 3, 4, 1); MobileNet 13 depthwise separable blocks; InceptionV3 11 mixed
/// modules; VGG16 5 convolution stages; Xception 14 blocks.
@Suite struct BlockDetectionTests {
    static func blocks(_ model: String) throws -> (ModelAnalysis, BlockStructure) {
        let a = Analyzer.analyze(try ModelFileReader.read(Fixtures.path("applications/\(model)/model.json")))
        return (a, BlockStructure.detect(a))
    }

    /// Blocks per stage.
    static func perStage(_ s: BlockStructure) -> [Int] { s.stages.map(\.count) }

    @Test func resNetBottlenecks() throws {
        let (_, r50) = try Self.blocks("ResNet50")
        #expect(Self.perStage(r50) == [3, 4, 6, 3])
        #expect(r50.types.count == 2 && r50.types.allSatisfy { $0.label.hasPrefix("bottleneck residual") })
        // Each stage: one projection block (12 layers) then identity blocks (10).
        #expect(r50.runs.map(\.blocks.count) == [1, 2, 1, 3, 1, 5, 1, 2])
        #expect(r50.blocks.map(\.name).prefix(3) == ["conv2_block1", "conv2_block2", "conv2_block3"])
        let (_, r152) = try Self.blocks("ResNet152")
        #expect(Self.perStage(r152) == [3, 8, 36, 3])
    }

    @Test func denseNetAndEfficientNetStages() throws {
        let (_, dense) = try Self.blocks("DenseNet121")
        #expect(Self.perStage(dense) == [6, 12, 24, 16])
        #expect(dense.types.count == 1)
        let (a, b0) = try Self.blocks("EfficientNetB0")
        #expect(b0.blocks.count == 16 && Self.perStage(b0) == [1, 2, 2, 3, 3, 4, 1])
        #expect(b0.types.allSatisfy { $0.label.hasPrefix("MBConv") })
        // The blocks hold most of the parameters (the rest: stem, head and classifier).
        let share = Double(b0.params ?? 0) / Double(a.totals.params ?? 1)
        #expect(share > 0.5 && share < 1, "\(share)")
    }

    /// NASNet's cells read the two cells before them, so no single tensor separates them: the
    /// cells come from their names (normal, reduction and the adjustments of their inputs).
    /// NASNetMobile: 2 stem cells, 3 × 4 normal cells, 2 reduction cells; NASNetLarge 3 × 6.
    @Test func nasNetCells() throws {
        let (_, mobile) = try Self.blocks("NASNetMobile")
        #expect(mobile.blocks.map(\.name) == ["cell_stem_1", "cell_stem_2", "cell_0", "cell_1", "cell_2", "cell_3", "cell_reduce_4",
                                              "cell_5", "cell_6", "cell_7", "cell_8", "cell_reduce_8", "cell_9", "cell_10", "cell_11", "cell_12"])
        let (_, large) = try Self.blocks("NASNetLarge")
        #expect(large.blocks.count == 22)
    }

    /// ConvNeXt closes each block with `inputs + x`, an inline operation (not a layer): the
    /// block holds it (7 layers and the add; ConvNeXtTiny 3, 3, 9, 3 blocks), and the nested
    /// stem model is a stage of its own, not one with the first stage.
    @Test func convNeXtBlocksHoldTheirSkipAdd() throws {
        let (a, s) = try Self.blocks("ConvNeXtTiny")
        let convnext = s.blocks.filter { s.types[$0.type].label == "ConvNeXt" }
        #expect(convnext.count == 18)
        #expect(convnext.allSatisfy { $0.rows.count == 7 && $0.operations.count == 1 })
        #expect(convnext.allSatisfy { a.operations[$0.operations[0]].className == "Add" })
        // The add computes last, after the block's layers.
        if case .operation = convnext[0].members.last {} else { Issue.record("members end with \(String(describing: convnext[0].members.last))") }
        #expect(s.operationBlock.compactMap { $0 }.count == 18)
        #expect(convnext.map(\.name).prefix(2) == ["convnext_tiny_stage_0_block_0", "convnext_tiny_stage_0_block_1"])
        let stem = try #require(s.blocks.firstIndex { $0.name == "convnext_tiny_stem" })
        #expect(s.stages.first { $0.contains(stem) }?.count == 1)
        #expect(s.stages.filter { s.types[s.blocks[$0.lowerBound].type].label == "ConvNeXt" }.map(\.count) == [3, 3, 9, 3])
    }

    @Test func otherFamilies() throws {
        #expect(try Self.blocks("MobileNet").1.runs.map(\.blocks.count) == [13])
        #expect(try Self.blocks("InceptionV3").1.blocks.map(\.name) == (0...10).map { "mixed\($0)" })
        #expect(try Self.blocks("VGG16").1.blocks.map(\.name) == (1...5).map { "block\($0)" })
        #expect(try Self.blocks("Xception").1.blocks.count == 14)
    }

    /// Every row belongs to at most one block, blocks do not overlap, and each block's rows are
    /// in order; a model without repetition (a small sequential model) has no blocks.
    @Test func blocksPartitionTheRows() throws {
        for m in ["NASNetMobile", "ConvNeXtTiny", "InceptionResNetV2", "MobileNetV3Small"] {
            let (a, s) = try Self.blocks(m)
            var seen = Set<Int>()
            for (i, b) in s.blocks.enumerated() {
                #expect(b.rows == b.rows.sorted(), "\(m) \(b.name)")
                for r in b.rows {
                    #expect(!seen.contains(r), "\(m): row \(r) in two blocks")
                    seen.insert(r)
                    #expect(s.rowBlock[r] == i)
                }
            }
            #expect(s.rowBlock.count == a.rows.count)
        }
        let small = Analyzer.analyze(try ModelFileReader.read(Fixtures.path("reference/case_seq_with_input/model.json")))
        #expect(BlockStructure.detect(small).blocks.isEmpty)
    }
}
