import Foundation
import Testing
import Kernels
import ModelKit
import Execution
@testable import KerasFormat

/// The execution plan (oneDNN primitives built once, BN folded, post-ops fused, buffers by
/// liveness) against Keras's outputs, the Executor's, and hand arithmetic.
@Suite struct ExecutionPlanTests {
    static let backend = try! DNNLBackend()
    static let planFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/plan")

    static func plan(_ graph: ModelGraph, _ weights: [String: [Tensor]], _ shapes: [[Int]], limit: Int? = nil) throws -> ExecutionPlan {
        try ExecutionPlan.build(graph: graph, weights: weights, inputShapes: shapes, backend: backend, memoryLimit: limit)
    }

    /// Largest |a - b| over the largest |b|.
    static func relativeError(_ a: Tensor, _ b: Tensor) -> Float {
        guard a.shape == b.shape else { return .infinity }
        var m: Float = 0, scale: Float = 0
        for (x, y) in zip(a.data, b.data) {
            let e = abs(x - y)
            m = max(m, e.isNaN ? .infinity : e)
            scale = max(scale, abs(y))
        }
        return m / max(scale, 1e-30)
    }

    @Test(arguments: ExecutorFixtureTests.all)
    func matchesKerasAndExecutor(_ c: String, _ file: String) throws {
        let p = ExecutionFixtures.path(c, file)
        let graph = try ModelFileReader.read(p)
        let weights = try ModelWeights.load(path: p, analysis: Analyzer.analyze(graph)).tensors
        let inputs = try ExecutionFixtures.numbered(c, "input")
        let plan = try Self.plan(graph, weights, inputs.map(\.shape))
        let got = try plan.run(inputs)
        let expected = try ExecutionFixtures.numbered(c, "output")
        let executor = try Executor(graph: graph, weights: weights).run(inputs)
        #expect(got.count == expected.count)
        for (i, (g, want)) in zip(got, expected).enumerated() {
            let (err, ok) = ExecutionFixtures.compare(g, want)
            #expect(ok, "\(c)/\(file) output \(i): plan max |error| \(err) against Keras exceeds 1e-4 + 1e-3|ref|")
            let (errE, okE) = ExecutionFixtures.compare(g, executor[i])
            #expect(okE, "\(c)/\(file) output \(i): plan and Executor differ by \(errE)")
        }
        print("PLANSTEPS \(c)/\(file): \(plan.stepDescriptions)")
        if c == "case_nested" {
            #expect(plan.stepDescriptions.contains { $0.hasPrefix("encoder: nested plan") }, "\(plan.stepDescriptions)")
        }
        if c == "case_depthwise_separable" {
            #expect(plan.stepDescriptions.contains { $0.hasSuffix(": depthwise convolution") }, "\(plan.stepDescriptions)")
        }
        // Running again on the same buffers gives the same result (no state left behind).
        #expect(try plan.run(inputs) == got)
    }

    @Test func batchNormFoldedIntoOneByOneConvByHand() throws {
        let graph = try ModelFileReader.read(Self.planFixtures.appendingPathComponent("conv_bn/model.json").path)
        // conv: y = 2 a + 3 b + 1; BN: gamma 4, beta 1, mean 3, variance 3.75, epsilon 0.25
        // -> scale 4 / sqrt(4) = 2, shift 1 - 3 * 2 = -5.
        let weights: [String: [Tensor]] = [
            "conv": [Tensor(shape: [1, 1, 2, 1], data: [2, 3]), Tensor(shape: [1], data: [1])],
            "bn": [Tensor(shape: [1], data: [4]), Tensor(shape: [1], data: [1]), Tensor(shape: [1], data: [3]), Tensor(shape: [1], data: [3.75])],
        ]
        let plan = try Self.plan(graph, weights, [[2, 1, 1, 2]])
        let bn = try #require(graph.layerIndex(named: "bn"))
        #expect(plan.fusedInto[NodeID(layer: bn, call: 0)] == "conv")
        #expect(plan.stepDescriptions.contains("conv: convolution + batch normalization folded"), "\(plan.stepDescriptions)")
        // (1, 2): conv 9 -> 2 * 9 - 5 = 13; (-1, 0.5): conv 0.5 -> 1 - 5 = -4.
        let y = try plan.run([Tensor(shape: [2, 1, 1, 2], data: [1, 2, -1, 0.5])])
        #expect(y == [Tensor(shape: [2, 1, 1, 1], data: [13, -4])])
        // The Executor (no folding) agrees.
        #expect(try Executor(graph: graph, weights: weights).run([Tensor(shape: [2, 1, 1, 2], data: [1, 2, -1, 0.5])]) == y)
    }

    @Test func residualAddFusedAsSumMatchesKeras() throws {
        let dir = Self.planFixtures.appendingPathComponent("residual")
        let graph = try ModelFileReader.read(dir.appendingPathComponent("model.keras").path)
        let weights = try ModelWeights.load(path: dir.appendingPathComponent("model.keras").path, analysis: Analyzer.analyze(graph)).tensors
        let input = try NPY.readTensor(path: dir.appendingPathComponent("input.npy").path)
        let plan = try Self.plan(graph, weights, [input.shape])
        #expect(plan.stepDescriptions.contains("c2: convolution + batch normalization folded + Add as sum + ReLU"), "\(plan.stepDescriptions)")
        #expect(plan.stepDescriptions.contains("c1: convolution + relu(slope: 0.0)"), "\(plan.stepDescriptions)")
        #expect(plan.stepDescriptions.contains("c3: convolution + batch normalization folded + ReLU"), "\(plan.stepDescriptions)")
        #expect(plan.stepDescriptions.contains("dw: convolution + zero padding folded + batch normalization folded + Activation"), "\(plan.stepDescriptions)")
        #expect(plan.stepDescriptions.contains("gap: global average pooling"), "\(plan.stepDescriptions)")
        #expect(plan.stepDescriptions.contains("fc: softmax in place"), "\(plan.stepDescriptions)")
        #expect(!plan.stepDescriptions.contains { $0.contains("Executor") }, "\(plan.stepDescriptions)")
        #expect(plan.fusedInto[NodeID(layer: try #require(graph.layerIndex(named: "pad")), call: 0)] == "dw")
        for name in ["bn2", "add", "relu"] {
            #expect(plan.fusedInto[NodeID(layer: try #require(graph.layerIndex(named: name)), call: 0)] == "c2")
        }
        let got = try plan.run([input])
        let want = try NPY.readTensor(path: dir.appendingPathComponent("output.npy").path)
        let (err, ok) = ExecutionFixtures.compare(got[0], want)
        #expect(ok, "residual: plan max |error| \(err) against Keras")
    }

    /// Layers that do not fuse run as standalone steps (BN per channel, eltwise primitives,
    /// buffer loops, row copies) and still match Keras.
    @Test func standaloneStepsMatchKeras() throws {
        let dir = Self.planFixtures.appendingPathComponent("standalone")
        let path = dir.appendingPathComponent("model.keras").path
        let graph = try ModelFileReader.read(path)
        let weights = try ModelWeights.load(path: path, analysis: Analyzer.analyze(graph)).tensors
        let input = try NPY.readTensor(path: dir.appendingPathComponent("input.npy").path)
        let plan = try Self.plan(graph, weights, [input.shape])
        for d in ["c1: convolution + relu(slope: 0.0)", "bn: batch normalization (per channel)", "sig: eltwise logistic",
                  "lrelu: eltwise relu(slope: 0.1)", "mul: Multiply (buffer loop)", "max: Maximum (buffer loop)",
                  "cat: concatenate (row copies)", "flat: copy", "fc: matmul"] {
            #expect(plan.stepDescriptions.contains(d), "\(d) not in \(plan.stepDescriptions)")
        }
        let got = try plan.run([input])
        let want = try NPY.readTensor(path: dir.appendingPathComponent("output.npy").path)
        let (err, ok) = ExecutionFixtures.compare(got[0], want)
        #expect(ok, "standalone: plan max |error| \(err) against Keras")
    }

    @Test func activationBytesOfADenseChainByHand() throws {
        let graph = try ModelFileReader.read(Self.planFixtures.appendingPathComponent("dense_chain/model.json").path)
        let weights: [String: [Tensor]] = [
            "d1": [Tensor(zeros: [8, 16]), Tensor(zeros: [16])],
            "d2": [Tensor(zeros: [16, 4]), Tensor(zeros: [4])],
            "d3": [Tensor(zeros: [4, 2]), Tensor(zeros: [2])],
        ]
        let plan = try Self.plan(graph, weights, [[1, 8]])
        // Buffers: input (8 floats); d1 needs 16 -> a second buffer; the input dies after d1,
        // so d2 (4) reuses its 8-float buffer; d1's dies after d2, so d3 (2) reuses the 16.
        // 8 + 16 floats = 96 bytes.
        #expect(plan.memory.activationBytes == 96)
        // Packed weights are at least the Keras weights: (8*16 + 16*4 + 4*2 + 16 + 4 + 2) floats.
        #expect(plan.memory.weightBytes >= (128 + 64 + 8 + 22) * 4)
        let y = try plan.run([Tensor(shape: [1, 8], data: (0..<8).map(Float.init))])
        #expect(y == [Tensor(zeros: [1, 2])])
    }

    @Test func memoryLimitRefusesBeforeAllocating() throws {
        let graph = try ModelFileReader.read(Self.planFixtures.appendingPathComponent("dense_chain/model.json").path)
        let weights: [String: [Tensor]] = [
            "d1": [Tensor(zeros: [8, 16]), Tensor(zeros: [16])],
            "d2": [Tensor(zeros: [16, 4]), Tensor(zeros: [4])],
            "d3": [Tensor(zeros: [4, 2]), Tensor(zeros: [2])],
        ]
        do {
            _ = try Self.plan(graph, weights, [[1, 8]], limit: 100)
            Issue.record("a 100-byte limit should refuse the plan")
        } catch let e as ExecutionError {
            #expect(e.message.contains("model \"dense_chain\" needs"), "\(e.message)")
            #expect(e.message.contains("above the memory limit of 100 bytes"), "\(e.message)")
        }
        // Generous limit: built.
        #expect(try Self.plan(graph, weights, [[1, 8]], limit: 1 << 20).memory.totalBytes <= 1 << 20)
    }

    /// ResNet50 and MobileNetV2 configs with seeded weights at a smaller input (64x64, which
    /// both allow: global pooling before the classifier): the plan equals the Executor (on
    /// oneDNN) to a relative 1e-3 of the largest output.
    @Test(arguments: ["app_ResNet50", "app_MobileNetV2"])
    func applicationMatchesExecutor(_ c: String) throws {
        var graph = try ModelFileReader.read(ExecutionFixtures.path(c, "model.json"))
        // Also compare the pooled features before the classifier: with seeded weights the
        // softmax may saturate and hide differences.
        let pool = try #require(graph.layers.lastIndex { ($0.kind as? GlobalPoolingOp)?.kind == .average })
        graph.outputs = [TensorRef(layer: pool, call: 0, tensor: 0)] + graph.outputs
        let shape = TensorShape([nil, 64, 64, 3])
        let analysis = Analyzer.analyze(graph, inputShapes: [shape])
        let weights = try ModelWeights.initialized(graph: graph, analysis: analysis, seed: 0).tensors
        let inputs = try ForwardProfiler.inputs(for: [shape])
        let plan = try Self.plan(graph, weights, [[1, 64, 64, 3]])
        let got = try plan.run(inputs)
        let want = try Executor(graph: graph, weights: weights, backend: Self.backend).run(inputs)
        #expect(got.count == 2)
        for i in 0..<2 {
            let err = Self.relativeError(got[i], want[i])
            print("PLAN \(c) output \(i): relative error \(err), \(plan.stepDescriptions.count) steps, \(plan.memory)")
            #expect(err <= 1e-3, "\(c) output \(i): plan and Executor differ by \(err) of the largest output")
        }
        #expect(Set(want[0].data).count > 100, "the pooled features should not be degenerate")
        let peak = try #require(analysis.totals.peakActivationBytes)
        print("PLAN \(c): activation buffers \(plan.memory.activationBytes) bytes, analysis peak \(peak) bytes")
        // Fused steps skip intermediates, so the buffers stay under the analysis's peak.
        #expect(plan.memory.activationBytes <= peak, "\(c): buffers \(plan.memory.activationBytes) bytes, analysis peak \(peak)")
        #expect(plan.stepDescriptions.allSatisfy { !$0.contains("Executor (BatchNormalization)") && !$0.contains("Executor (Conv2D)") })
    }
}
