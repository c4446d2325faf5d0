import Foundation
import Testing
import ModelKit
@testable import ONNXFormat

/// The analysis of real `.onnx` files against what the ONNX tools wrote about them
/// (Tests/Fixtures/onnx/<case>/truth.json): onnx's shape inference (with data propagation)
/// for every node's output shapes, the float-initializer count onnx-tool and Netron call the
/// parameters, and onnx-tool's MACs for the nodes with a kernel.
@Suite struct ONNXSummaryTruthTests {
    static let cases = ["keras_seed_resnet8", "keras_case_multi_io", "var_symbolic_batch", "var_external_data", "var_shape_subgraph",
                        "ptc_Conv2d", "ptc_ConvTranspose2d", "ptc_Embedding", "node_lstm_defaults", "node_if"]

    static func analysis(_ name: String) throws -> (ModelAnalysis, ModelGraph) {
        let model = try ONNXOpenedModel(path: ONNXFileTests.fixtures.appendingPathComponent("\(name)/model.onnx").path)
        return (Analyzer.analyze(model.graph), model.graph)
    }

    /// One of onnx's dimensions against ours: a number must be ours exactly; a name the file
    /// gives (`N`, `batch`) must stay that name; `unk__…` (a name onnx's inference invents when it
    /// gives up) or null accepts anything, since Strata's propagation may know more.
    static func agrees(_ truth: Any, _ ours: Dim) -> Bool {
        if let n = truth as? Int { return ours == .known(n) }
        if let s = truth as? String, !s.hasPrefix("unk__") { return ours == .symbolic(s) }
        return true
    }

    @Test(arguments: cases) func shapesAndParametersAgreeWithOnnx(_ name: String) throws {
        let truth = try ONNXFileTests.truth(name)
        let (a, _) = try Self.analysis(name)
        #expect(!a.hasErrors, "\(a.diagnostics.map(\.message))")
        let nodes = try #require(truth["nodes"] as? [[String: Any]])
        #expect(a.rows.count == nodes.count, "one row per node of the main graph")
        #expect(a.totals.params == truth["params"] as? Int, "float initializer elements of the main graph")
        for (i, node) in nodes.enumerated() where i < a.rows.count {
            let row = a.rows[i]
            let domain = node["domain"] as? String ?? ""
            #expect(row.className == (domain.isEmpty || domain == "ai.onnx" ? "" : domain + ":") + (node["op_type"] as? String ?? ""))
            let shapes = node["output_shapes"] as? [Any] ?? []
            for (k, s) in shapes.enumerated() {
                guard let dims = s as? [Any] else { continue }
                let ours = try #require(k < row.outputShapes.count ? row.outputShapes[k] : nil, "\(name) node \(i) (\(row.name)) output \(k): no shape, onnx says \(dims)")
                #expect(ours.rank == dims.count && zip(dims, ours.dimensions).allSatisfy { Self.agrees($0, $1) },
                        "\(name) node \(i) (\(row.name)) output \(k): \(ours.formatted(unknown: "?")) vs onnx \(dims)")
            }
        }
        // Graph inputs and outputs as the file declares them.
        for (endpoint, given) in zip(a.inputs, truth["inputs"] as? [[String: Any]] ?? []) {
            let dims = given["shape"] as? [Any] ?? []
            #expect(endpoint.shape.map { $0.rank == dims.count && zip(dims, $0.dimensions).allSatisfy { Self.agrees($0, $1) } } == true)
        }
    }

    /// Nodes with a kernel count what onnx-tool counts: the multiply-accumulates and one
    /// addition per output for a bias. A transposed convolution is the exception: onnx-tool
    /// counts it as a direct convolution over its output, Strata each input value scattered
    /// over the kernel (the work the operation does).
    @Test(arguments: cases) func kernelMACsAgreeWithOnnxTool(_ name: String) throws {
        let truth = try ONNXFileTests.truth(name)
        let (a, _) = try Self.analysis(name)
        let nodes = try #require(truth["nodes"] as? [[String: Any]])
        for (i, node) in nodes.enumerated() where i < a.rows.count {
            guard let op = node["op_type"] as? String, ["Conv", "Gemm", "MatMul"].contains(op),
                  let expected = node["macs_onnx_tool"] as? Int, expected > 0 else { continue }
            let ours = try #require(a.rows[i].macs)
            #expect(abs(Double(ours - expected)) <= 0.05 * Double(expected), "\(name) node \(i) \(op): \(ours) vs onnx-tool \(expected)")
        }
    }

    @Test func seedExportExplainsTheBatchNormalizationFolding() throws {
        let (a, _) = try Self.analysis("keras_seed_resnet8")
        #expect(a.totals.params == 78_186)
        // 7 batch normalizations over 16+16+16+32+32+64+64 = 240 channels, 2 numbers each
        // that Keras keeps and tf2onnx merged away: 78,186 + 480 = 78,666, Keras's count.
        let note = try #require(a.source.notes.first)
        #expect(note.contains("7 batch normalizations"))
        #expect(note.contains("240 channels"))
        #expect(note.contains("78,666"))
        // The flatten's reshape target is an int64 initializer, listed apart.
        #expect(a.totals.uncountedConstants.map(\.kind).contains { $0.hasPrefix("integer initializers") })
        // Channels-first images: the three resolutions of a ResNet-8, 32 → 16 → 8.
        #expect(a.stages.map(\.resolution) == [[32, 32], [16, 16], [8, 8]])
        #expect(a.merges.count == 3 && a.merges.allSatisfy { $0.op == "add" })
    }

    /// `Shape → Gather → Unsqueeze → Concat → Reshape`, the flatten PyTorch writes: the
    /// computed target comes out as numbers and the batch keeps its name.
    @Test func computedReshapeTargetIsPropagated() throws {
        let (a, _) = try Self.analysis("var_shape_subgraph")
        let reshape = try #require(a.rows.first { $0.className == "Reshape" })
        // conv output (batch, 4, 8, 8): 4 × 8 × 8 = 256 per item.
        #expect(reshape.outputShapes.first??.dimensions == [.symbolic("batch"), .known(256)])
        #expect(a.outputs.first?.shape?.dimensions == [.symbolic("batch"), .known(5)])
    }

    @Test func ifNodeShowsBothBranchesNested() throws {
        let (a, _) = try Self.analysis("node_if")
        let row = try #require(a.rows.first)
        #expect(row.children.map(\.name) == ["then_branch", "else_branch"])
        #expect(row.children.allSatisfy { $0.children.count == 1 })
    }
}
