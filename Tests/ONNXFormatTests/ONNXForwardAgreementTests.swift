import Foundation
import Testing
import Execution
import Kernels
import ModelKit
import Tensors
@testable import ONNXFormat

/// The forward pass of real `.onnx` files against ONNX Runtime's outputs on the same inputs
/// (`input_<i>.npy` / `output_<i>.npy` beside each model, written by ONNX Runtime through
/// `scripts/onnx-truth/make_forward_truth.py`, `make_op_cases.py` or the shared fixtures):
/// both engines, the reference interpreter and the compiled plan on oneDNN, within rtol 1e-3
/// and atol 1e-4 × the output's largest magnitude.
@Suite struct ONNXForwardAgreementTests {
    static let fixtures = ONNXFileTests.fixtures

    /// Every fixture folder with a model and ONNX Runtime's outputs.
    static var cases: [String] {
        var out: [String] = []
        let fm = FileManager.default
        func visit(_ rel: String) {
            let dir = fixtures.appendingPathComponent(rel)
            guard let entries = try? fm.contentsOfDirectory(atPath: dir.path) else { return }
            if entries.contains("model.onnx"), entries.contains("output_0.npy"), !refused.contains(rel) { out.append(rel) }
            for e in entries.sorted() where !e.contains(".") && e != "bad" {
                visit(rel.isEmpty ? e : "\(rel)/\(e)")
            }
        }
        visit("")
        return out.sorted()
    }

    /// Fixtures with ONNX Runtime's outputs that Strata refuses to run (tested below).
    static let refused: Set<String> = ["quant_qoperator_resnet8"]

    static func load(_ path: String) throws -> Tensor { try NPY.read(path: path).toTensor() }

    static func tensors(_ name: String, _ prefix: String) throws -> [Tensor] {
        var out: [Tensor] = []
        var i = 0
        while true {
            let p = fixtures.appendingPathComponent("\(name)/\(prefix)_\(i).npy").path
            guard FileManager.default.fileExists(atPath: p) else { return out }
            out.append(try load(p))
            i += 1
        }
    }

    /// (agrees, worst |got - want| over the allowed error) of one output.
    static func agreement(_ got: Tensor, _ want: Tensor) -> (Bool, Double) {
        guard got.shape == want.shape || (got.count == want.count && got.count <= 1) else { return (false, .infinity) }
        let scale = Double(want.data.map { abs($0) }.max() ?? 0)
        var worst = 0.0
        for (g, w) in zip(got.data, want.data) {
            let allowed = 1e-3 * Double(abs(w)) + 1e-4 * scale + 1e-30
            if g.isNaN != w.isNaN { return (false, .infinity) }
            if !g.isNaN { worst = max(worst, Double(abs(g - w)) / allowed) }
        }
        return (worst <= 1, worst)
    }

    static func check(_ name: String, _ outputs: [Tensor], engine: String) throws {
        let want = try tensors(name, "output")
        #expect(outputs.count == want.count, "\(name) (\(engine)): \(outputs.count) outputs, ONNX Runtime gave \(want.count)")
        for (i, (g, w)) in zip(outputs, want).enumerated() {
            let (ok, worst) = agreement(g, w)
            #expect(ok, "\(name) (\(engine)) output \(i): shape \(g.shape) vs \(w.shape), worst error \(worst)x the allowed")
        }
    }

    @Test(arguments: cases) func referenceInterpreterAgreesWithOnnxRuntime(_ name: String) throws {
        let model = try ONNXOpenedModel(path: Self.fixtures.appendingPathComponent("\(name)/model.onnx").path)
        let weights = try model.graph.initializerWeights()
        let inputs = try Self.tensors(name, "input")
        let outputs = try Executor(graph: model.graph, weights: weights).run(inputs)
        try Self.check(name, outputs, engine: "reference")
    }

    @Test(arguments: cases) func compiledPlanAgreesWithOnnxRuntime(_ name: String) throws {
        let model = try ONNXOpenedModel(path: Self.fixtures.appendingPathComponent("\(name)/model.onnx").path)
        let weights = try model.graph.initializerWeights()
        let inputs = try Self.tensors(name, "input")
        let backend = try DNNLBackend(threads: 1)
        let outputs: [Tensor]
        do {
            let plan = try ExecutionPlan.build(graph: model.graph, weights: weights, inputShapes: inputs.map(\.shape), backend: backend)
            outputs = try plan.run(inputs)
        } catch is ExecutionPlan.Unplannable {
            // Shapes known only while running (a loop's outputs): the interpreter on oneDNN.
            outputs = try Executor(graph: model.graph, weights: weights, backend: backend).run(inputs)
        }
        try Self.check(name, outputs, engine: "plan")
    }

    /// The patterns exporters write node by node become the plan's fused steps (the
    /// outputs are checked above with every fixture): SiLU and a written-out hard swish as
    /// post-ops of the convolution before them, per-channel Mul/Add from Constant nodes as
    /// one table, the file's channels-first stretch stored channels last with one transpose
    /// in (the input) and none out but where a reshape needs the file's layout.
    @Test func exportedPatternsAreFused() throws {
        func plan(_ name: String) throws -> ExecutionPlan {
            let model = try ONNXOpenedModel(path: Self.fixtures.appendingPathComponent("patterns/\(name)/model.onnx").path)
            let inputs = try Self.tensors("patterns/\(name)", "input")
            return try ExecutionPlan.build(graph: model.graph, weights: try model.graph.initializerWeights(), inputShapes: inputs.map(\.shape),
                                           backend: try DNNLBackend(threads: 1))
        }
        let silu = try plan("silu").stepDescriptions
        #expect(silu.contains("c1: convolution + Mul"), "\(silu)")
        #expect(silu.contains { $0.hasPrefix("c2: convolution + Mul") }, "\(silu)")
        #expect(!silu.contains { $0.contains("Executor") }, "\(silu)")
        let hs = try plan("hardswish").stepDescriptions
        #expect(hs.contains { $0.hasPrefix("c1: convolution + Div") }, "\(hs)")
        #expect(hs.contains("sc: batch normalization (per channel) + 1 more merged"), "\(hs)")
        #expect(hs.contains("split: split (row copies)"), "\(hs)")
        let ca = try plan("channel_attention").stepDescriptions
        #expect(ca.contains("att: mul (broadcast loop)"), "\(ca)")
        #expect(ca.filter { $0.contains("transpose") }.count <= 2, "\(ca)")
    }

    /// ONNX Runtime's QOperator format (integer kernels that requantize their results) is
    /// refused by name before running, never run as if it were float.
    @Test func requantizingNodesAreRefusedByName() throws {
        let model = try ONNXOpenedModel(path: Self.fixtures.appendingPathComponent("quant_qoperator_resnet8/model.onnx").path)
        let refusal = try #require(Executor.unsupportedNode(in: model.graph))
        #expect(refusal.message.contains("(QLinearConv, domain ai.onnx, opset 17): not runnable yet: integer kernels with requantization"), "\(refusal.message)")
    }

    /// A node of a domain Strata has no kernels for is refused before running, by name, op
    /// type, domain and opset (QONNX's quantizer nodes; ONNX Runtime refuses the file too).
    @Test func unknownDomainIsRefusedByName() throws {
        let model = try ONNXOpenedModel(path: Self.fixtures.appendingPathComponent("real/qonnx_espcn_quant/model.onnx").path)
        let refusal = try #require(Executor.unsupportedNode(in: model.graph))
        #expect(refusal.message.contains("Quant, domain onnx.brevitas, opset"), "\(refusal.message)")
        #expect(refusal.message.hasPrefix("node \""), "\(refusal.message)")
    }
}
