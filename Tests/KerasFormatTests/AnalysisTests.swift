import Foundation
import Testing
import ModelKit
@testable import KerasFormat

/// Analysis figures beyond Keras's own counts: the four layer counts, MACs by hand
/// arithmetic and against published figures, memory, structure.
@Suite struct AnalysisTests {
    static func analyze(_ relative: String) throws -> ModelAnalysis {
        Analyzer.analyze(try ModelFileReader.read(Fixtures.path(relative)))
    }

    /// The seed question's ResNet-8: 30 Keras layers, 17 with weights, 10 with a kernel, 8 deep.
    @Test(arguments: ["reference/seed_resnet8/model.json", "reference/seed_resnet8/model_keras2.json",
                      "reference/seed_resnet8/model.keras", "reference/seed_resnet8/model_keras2.h5"])
    func seedLayerCounts(_ file: String) throws {
        let a = try Self.analyze(file)
        #expect(a.counts == .init(topLevelLayers: 30, withWeights: 17, withKernel: 10, depth: 8))
        #expect(a.totals.params == 78_666)
        #expect(a.totals.trainableParams == 78_186)
        #expect(a.totals.nonTrainableParams == 480)
        #expect(a.merges.map(\.layer) == ["add", "add_1", "add_2"])
        #expect(a.merges[0].inputs == ["activation", "batch_normalization_2"])
        #expect(a.stages.map(\.resolution) == [[32, 32], [16, 16], [8, 8]])
        #expect(a.stages.map(\.maxChannels) == [16, 32, 64])
        #expect(a.stages.map(\.layers) == [3, 3, 3])  // three convolutions per resolution
        // float32 weights: 78,666 x 4 bytes.
        #expect(a.totals.weightBytes == 314_664)
    }

    /// MACs of the seed model by hand: each convolution is H*W*Cout*(kh*kw*Cin), the Dense
    /// 64*10, each BatchNormalization one per output element.
    @Test func seedMACsByHand() throws {
        let a = try Self.analyze("reference/seed_resnet8/model.json")
        let convs = 32 * 32 * 16 * (3 * 3 * 3)            // conv2d
            + 2 * 32 * 32 * 16 * (3 * 3 * 16)              // conv2d_1, conv2d_2
            + 16 * 16 * 32 * (3 * 3 * 16)                  // conv2d_3 (stride 2)
            + 16 * 16 * 32 * (3 * 3 * 32)                  // conv2d_4
            + 16 * 16 * 32 * (1 * 1 * 16)                  // conv2d_5 (1x1 shortcut)
            + 8 * 8 * 64 * (3 * 3 * 32)                    // conv2d_6
            + 8 * 8 * 64 * (3 * 3 * 64)                    // conv2d_7
            + 8 * 8 * 64 * (1 * 1 * 32)                    // conv2d_8
        let dense = 64 * 10
        let bn = 3 * 32 * 32 * 16 + 2 * 16 * 16 * 32 + 2 * 8 * 8 * 64
        #expect(a.totals.macs == convs + dense + bn)
        let row = try #require(a.rows.first { $0.name == "conv2d" })
        #expect(row.macs == 442_368)
        #expect(row.outputBytes == 32 * 32 * 16 * 4)
    }

    /// Published figures: ResNet50 about 3.9-4.1 GMACs and MobileNetV2 about 300 MMACs at 224x224
    /// (Keras's ResNet50 has conv biases but the same multiplies; a few M for BatchNormalization).
    @Test func publishedMACs() throws {
        let resnet = try #require(try Self.analyze("reference/app_ResNet50/model.json").totals.macs)
        #expect(resnet > 3_850_000_000 && resnet < 4_100_000_000, "ResNet50 MACs \(resnet)")
        let mobilenet = try #require(try Self.analyze("reference/app_MobileNetV2/model.json").totals.macs)
        #expect(mobilenet > 290_000_000 && mobilenet < 320_000_000, "MobileNetV2 MACs \(mobilenet)")
    }

    /// Peak live activations by hand on a chain: input (8) -> Dense(16) -> Dense(4), float32,
    /// batch 1. While the first Dense runs, its input (8) and output (16) are alive: 24 floats;
    /// then 16 + 4 = 20. Peak 24 x 4 bytes.
    @Test func peakActivationsByHand() throws {
        let json = #"""
        {"class_name": "Sequential", "config": {"name": "s", "layers": [
          {"class_name": "InputLayer", "config": {"batch_shape": [null, 8], "name": "in"}},
          {"class_name": "Dense", "config": {"name": "a", "units": 16}},
          {"class_name": "Dense", "config": {"name": "b", "units": 4}}]}}
        """#
        var reader = KerasConfigReader(file: "chain.json", format: "keras-json")
        let a = Analyzer.analyze(try reader.read(try JSONParser.parse(json)))
        #expect(a.totals.peakActivationBytes == 24 * 4)
        #expect(a.totals.params == 8 * 16 + 16 + 16 * 4 + 4)
        #expect(a.totals.macs == 8 * 16 + 16 * 4)
        #expect(a.counts == .init(topLevelLayers: 2, withWeights: 2, withKernel: 2, depth: 2))
    }

    /// A nested model counts as one Keras layer whose rows are beneath it; its kernels count
    /// toward depth through the path that runs through it.
    @Test func nestedModelStructure() throws {
        let a = try Self.analyze("reference/case_nested/model.json")
        let encoder = try #require(a.rows.first { $0.name == "encoder" })
        #expect(encoder.children.map(\.name) == ["enc_in", "enc_dense1", "enc_bn", "enc_dense2"])
        #expect(encoder.params == 936)
        // features -> encoder (2 Dense) -> add -> head: depth 3; skip is a parallel Dense.
        #expect(a.counts.depth == 3)
        #expect(a.counts.withKernel == 4)
    }

    @Test func sharedLayerHasTwoCalls() throws {
        let a = try Self.analyze("reference/case_shared_layer/model.json")
        let shared = try #require(a.rows.first { $0.name == "shared_dense" })
        #expect(shared.calls == 2)
        #expect(shared.inboundPerCall == [["left"], ["right"]])
        #expect(shared.params == 54)
        // MACs count both calls: 2 x 8 x 6.
        #expect(shared.macs == 96)
    }
}
