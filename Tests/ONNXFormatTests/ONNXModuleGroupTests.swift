import Foundation
import Testing
import ModelKit
import Reporting
@testable import ONNXFormat

/// Nodes grouped by the module paths exporters write into their names.
@Suite struct ONNXModuleGroupTests {
    @Test func tf2onnxNamesGroupTheSeedExport() throws {
        let (a, _) = try ONNXSummaryTruthTests.analysis("keras_seed_resnet8")
        // `functional_1/batch_normalization_1/batchnorm/mul_1`: the model's own name dropped,
        // the op's name dropped.
        let bn = try #require(a.rows.first { $0.name.hasSuffix("batch_normalization_1/batchnorm/mul_1") })
        #expect(bn.module == ["batch_normalization_1", "batchnorm"])
        #expect(ModuleGroups.applies(a.rows))
        let overview = try #require(ModuleGroups.overview(a))
        // 39 nodes: 9 conv2d modules (the first holds its Transpose too), 7 batch
        // normalizations (Mul + Add each), 7 activations, 3 adds, a pooling, a flatten and
        // the dense layer's MatMul + BiasAdd + Softmax.
        #expect(overview.rows.count == 29)
        #expect(overview.rows.reduce(0) { $0 + ($1.params ?? 0) } == a.totals.params)
        let folded = try #require(overview.rows.first { $0.name == "batch_normalization_1" })
        #expect(folded.params == 32 && folded.className == "module · 2 nodes")
        // The first residual join reads the first activation and the third batch normalization.
        let join = try #require(overview.rows.first { $0.name == "add_1" })
        #expect(Set(join.inboundPerCall.first ?? []) == ["activation_1", "batch_normalization_2_1"])
    }

    @Test func namesThatGroupNothingAreLeftAlone() throws {
        // The symbolic-batch CNN names its nodes conv1, relu1, ... : no module paths.
        let (a, _) = try ONNXSummaryTruthTests.analysis("var_symbolic_batch")
        #expect(a.rows.allSatisfy { $0.module.isEmpty })
        #expect(ModuleGroups.overview(a) == nil)
    }
}
