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

    /// Timed, each module's time is its nodes' times summed (every node 1 ms by hand: the
    /// batch normalization's Mul and Add are 2 ms). The seed export's modules are mostly one
    /// node each (29 for 39 nodes), so its Markdown has no table by module; put into three
    /// modules (the first 10 nodes, the next 20, the last 9) it lists 10, 20 and 9 ms.
    @Test func moduleTimesSumTheirNodes() throws {
        var (a, _) = try ONNXSummaryTruthTests.analysis("keras_seed_resnet8")
        let t = ForwardTiming(runs: 1, requestedRuns: 1, warmup: 0, threads: 1, requestedThreads: 1, runMs: [39],
                              layers: a.rows.map { ForwardTiming.LayerTime(name: $0.name, className: $0.className, medianMs: 1) },
                              instrumentedRuns: 1, peakRSSBytes: nil, backend: "test")
        let times = BlockOverview.boxTimes(t, groupOf: ModuleGroups.groupOf(a.rows))
        #expect(a.rows.count == 39 && times.count == 29)
        #expect(times["batch_normalization_1"] == 2)
        #expect(times.values.reduce(0, +) == 39)
        var doc = ReportDocument(analysis: a)
        doc.timing = t
        #expect(!(try MarkdownReport.render(doc, templatesFolder: nil)).contains("By module"))

        for i in a.rows.indices { a.rows[i].module = [i < 10 ? "stem" : i < 30 ? "body" : "head", "part\(i)"] }
        doc = ReportDocument(analysis: a)
        doc.timing = t
        let md = try MarkdownReport.render(doc, templatesFolder: nil)
        #expect(md.contains("By module (each box of modules.svg)"))
        for (name, n, ms, share) in [("stem", 10, "10.0 ms", "25.6 %"), ("body", 20, "20.0 ms", "51.3 %"), ("head", 9, "9.00 ms", "23.1 %")] {
            #expect(md.contains("| \(name) | module · \(n) nodes | ") && md.contains(" | \(ms) | \(share) |"), "\(name)")
        }
    }

    @Test func namesThatGroupNothingAreLeftAlone() throws {
        // The symbolic-batch CNN names its nodes conv1, relu1, ... : no module paths.
        let (a, _) = try ONNXSummaryTruthTests.analysis("var_symbolic_batch")
        #expect(a.rows.allSatisfy { $0.module.isEmpty })
        #expect(ModuleGroups.overview(a) == nil)
    }
}
