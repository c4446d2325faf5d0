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
                        "ptc_Conv2d", "ptc_ConvTranspose2d", "ptc_Embedding", "node_lstm_defaults", "node_if",
                        "real/ppocr_cls", "real/qonnx_espcn_quant", "real/silero_vad", "node_loop", "node_scan", "local_function",
                        "quant_qdq_resnet8", "quant_qoperator_resnet8"]

    static func analysis(_ name: String) throws -> (ModelAnalysis, ModelGraph) {
        let model = try ONNXOpenedModel(path: ONNXFileTests.fixtures.appendingPathComponent("\(name)/model.onnx").path)
        return (Analyzer.analyze(model.graph), model.graph)
    }

    /// One of onnx's dimensions against ours: a number must be ours exactly (-1, which some
    /// exporters write for an open size, is open); a name the file gives its inputs (`N`,
    /// `batch`) must stay that name; a name onnx's inference invents (`unk__3`, or one made
    /// from an unknown op's name) or null accepts anything, since Strata's propagation may
    /// know more.
    static func agrees(_ truth: Any, _ ours: Dim, fileNames: Set<String>) -> Bool {
        if let n = truth as? Int { return n < 0 ? ours.value == nil : ours == .known(n) }
        if let s = truth as? String, fileNames.contains(s) { return ours == .symbolic(s) }
        return true
    }

    /// The names the file itself gives to the sizes of its inputs (what flows from them keeps
    /// them; an output's declared name is the exporter's guess, not a fact).
    static func fileNames(_ truth: [String: Any]) -> Set<String> {
        let declared = truth["inputs"] as? [[String: Any]] ?? []
        return Set(declared.flatMap { ($0["shape"] as? [Any] ?? []).compactMap { $0 as? String } })
    }

    @Test(arguments: cases) func shapesAndParametersAgreeWithOnnx(_ name: String) throws {
        let truth = try ONNXFileTests.truth(name)
        let (a, _) = try Self.analysis(name)
        #expect(!a.hasErrors, "\(a.diagnostics.map(\.message))")
        let nodes = try #require(truth["nodes"] as? [[String: Any]])
        let names = Self.fileNames(truth)
        #expect(a.rows.count == nodes.count, "one row per node of the main graph")
        #expect(a.totals.params == truth["params"] as? Int, "float initializer elements of the main graph")
        for (i, node) in nodes.enumerated() where i < a.rows.count {
            let row = a.rows[i]
            let domain = node["domain"] as? String ?? ""
            #expect(row.className == (domain.isEmpty || domain == "ai.onnx" ? "" : domain + ":") + (node["op_type"] as? String ?? ""))
            let shapes = node["output_shapes"] as? [Any] ?? []
            for (k, s) in shapes.enumerated() {
                guard let dims = s as? [Any] else { continue }
                guard let ours = k < row.outputShapes.count ? row.outputShapes[k] : nil else {
                    // Unknown here: acceptable only where onnx knows no size either.
                    #expect(!dims.contains { ($0 as? Int).map { $0 >= 0 } ?? false }, "\(name) node \(i) (\(row.name)) output \(k): no shape, onnx says \(dims)")
                    continue
                }
                #expect(ours.rank == dims.count && zip(dims, ours.dimensions).allSatisfy { Self.agrees($0, $1, fileNames: names) },
                        "\(name) node \(i) (\(row.name)) output \(k): \(ours.formatted(unknown: "?")) vs onnx \(dims)")
            }
        }
        // Graph inputs and outputs as the file declares them.
        for (endpoint, given) in zip(a.inputs, truth["inputs"] as? [[String: Any]] ?? []) {
            let dims = given["shape"] as? [Any] ?? []
            #expect(endpoint.shape.map { $0.rank == dims.count && zip(dims, $0.dimensions).allSatisfy { Self.agrees($0, $1, fileNames: names) } } == true)
        }
    }

    /// Nodes with a kernel count what onnx-tool counts: the multiply-accumulates and one
    /// addition per output for a bias. A transposed convolution is the exception: onnx-tool
    /// counts it as a direct convolution over its output, Strata each input value scattered
    /// over the kernel (the work the operation does).
    @Test(arguments: cases) func kernelMACsAgreeWithOnnxTool(_ name: String) throws {
        let truth = try ONNXFileTests.truth(name)
        let (_, graph) = try Self.analysis(name)
        // onnx-tool ran with every open size set to 1.
        let shapes = Analyzer.declaredInputShapes(graph).map { s in TensorShape((s?.dims ?? []).map { $0 ?? 1 }) }
        let a = Analyzer.analyze(graph, inputShapes: shapes)
        if a.hasErrors {
            // PaddleOCR's classifier on a 1 × 1 image: its last 2 × 2 max pooling has no window
            // to take (onnx-tool counts one all the same); Strata refuses, naming the node.
            #expect(name == "real/ppocr_cls" && a.diagnostics.contains { $0.message.contains("MaxPool would produce an output of size 0") })
            return
        }
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

    /// A Loop with trip count 3 (an initializer) over a body adding x to its carried (2, 4)
    /// value and emitting it doubled: the carried value keeps (2, 4), the scan output stacks
    /// 3 of them, (3, 2, 4); onnx's inference leaves the carried value unknown.
    @Test func loopCarriedValueAndScanOutput() throws {
        let (a, _) = try Self.analysis("node_loop")
        let loop = try #require(a.rows.first)
        #expect(loop.outputShapes == [TensorShape([2, 4]), TensorShape([3, 2, 4])])
        #expect(loop.children.map(\.name) == ["body"])
    }

    /// A function the model defines once and calls twice with different attributes: each call
    /// is the function's body with its own alpha; the held weight is the call's.
    @Test func localFunctionCallsGetTheirAttributes() throws {
        let model = try ONNXOpenedModel(path: ONNXFileTests.fixtures.appendingPathComponent("local_function/model.onnx").path)
        let slopes = model.graph.layers.compactMap { layer -> Double? in
            guard let call = layer.kind as? ControlFlowOp, let body = call.graphs.first else { return nil }
            for l in body.layers { if let act = l.kind as? ActivationOp, case .leakyReLU(let s) = act.function { return s } }
            return nil
        }
        #expect(slopes.map { Float($0) } == [0.1, 0.2])
        let a = Analyzer.analyze(model.graph)
        // w1 (8, 16) on the first call, w2 (16, 4) on the second: 128 + 64 = 192.
        #expect(a.rows.map(\.params) == [128, 64])
        #expect(a.outputs.first?.shape?.dimensions == [.symbolic("N"), .known(4)])
    }

    @Test func ifNodeShowsBothBranchesNested() throws {
        let (a, _) = try Self.analysis("node_if")
        let row = try #require(a.rows.first)
        #expect(row.children.map(\.name) == ["then_branch", "else_branch"])
        #expect(row.children.allSatisfy { $0.children.count == 1 })
    }
}

/// Real models shipped in PyPI packages (Tests/Fixtures/onnx/real, see its README), and
/// int8 models made by ONNX Runtime's quantizer.
@Suite struct ONNXRealModelTests {
    /// The seed export quantized by ONNX Runtime (QDQ and QOperator formats): the int8
    /// weights are not parameters in onnx-tool's count but are listed beside them, and the
    /// convolutions keep their shapes whether they read a DequantizeLinear's output (QDQ) or
    /// are QLinearConv nodes.
    @Test(arguments: ["quant_qdq_resnet8", "quant_qoperator_resnet8"]) func int8ModelsListTheirQuantizedWeights(_ name: String) throws {
        let truth = try ONNXFileTests.truth(name)
        let (a, _) = try ONNXSummaryTruthTests.analysis(name)
        #expect(!a.diagnostics.contains { $0.severity == .error || $0.id == "unsupported-layer" })
        #expect(a.totals.params == truth["params"] as? Int)
        let listed = a.totals.uncountedConstants.filter { $0.kind.hasPrefix("quantized") || $0.kind.hasPrefix("integer") }
        #expect(listed.reduce(0) { $0 + ($1.elements ?? 0) } == truth["integer_initializer_elements"] as? Int)
        // The classifier's output: 10 classes.
        #expect(a.outputs.first?.shape?.dims.last == 10)
    }

    /// PaddleOCR's text-direction classifier (paddle2onnx): every weight is a Constant node,
    /// so the float-initializer count is 0 and the report says where the numbers are.
    @Test func paddleOCRWeightsInConstantNodesAreReportedApart() throws {
        let truth = try ONNXFileTests.truth("real/ppocr_cls")
        let (a, _) = try ONNXSummaryTruthTests.analysis("real/ppocr_cls")
        #expect(a.totals.params == 0)
        let constants = try #require(a.totals.uncountedConstants.first { $0.kind.contains("Constant nodes") })
        #expect(constants.elements == truth["constant_node_float_elements"] as? Int)
        #expect(constants.elements == 133_700)
        // The input is declared (-1, 3, ?, ?): with a 48 × 192 crop the costs are counted.
        #expect(a.totals.macs == nil)
    }

    /// Silero VAD (a PyTorch model inlined by spox): 5 main-graph nodes, the network inside
    /// If branches nested several deep, no float initializers.
    @Test func sileroVADReadsWithItsBranchesNested() throws {
        let truth = try ONNXFileTests.truth("real/silero_vad")
        let (a, _) = try ONNXSummaryTruthTests.analysis("real/silero_vad")
        #expect(!a.hasErrors, "\(a.diagnostics.filter { $0.severity == .error }.map(\.message))")
        #expect(a.rows.count == truth["node_count"] as? Int)
        #expect(a.totals.params == 0)
        let branch = try #require(a.rows.first { $0.className == "If" })
        #expect(branch.children.map(\.name) == ["then_branch", "else_branch"])
        func count(_ rows: [LayerRow]) -> Int { rows.reduce(0) { $0 + ($1.className == "graph" ? 0 : 1) + count($1.children) } }
        #expect(count(branch.children) == truth["subgraph_node_count"] as? Int)
    }
}
