import Foundation
import Testing
import Kernels
import ModelKit
import Execution
@testable import KerasFormat

/// Runs reference fixtures with weights and compares with Keras's outputs.
enum ExecutionFixtures {
    static let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/reference")
    static let kerasCases = ["seed_resnet8", "case_seq_with_input", "case_multi_io", "case_nested",
                             "case_shared_layer", "case_depthwise_separable"]
    static let h5Cases = ["seed_resnet8", "case_multi_io", "case_nested"]

    static func path(_ c: String, _ file: String) -> String {
        reference.appendingPathComponent(c).appendingPathComponent(file).path
    }

    /// input.npy, or input_0.npy, input_1.npy, ...
    static func numbered(_ c: String, _ stem: String) throws -> [Tensor] {
        let single = path(c, stem + ".npy")
        if FileManager.default.fileExists(atPath: single) { return [try NPY.readTensor(path: single)] }
        var out: [Tensor] = []
        while FileManager.default.fileExists(atPath: path(c, "\(stem)_\(out.count).npy")) {
            out.append(try NPY.readTensor(path: path(c, "\(stem)_\(out.count).npy")))
        }
        return out
    }

    /// Largest |a - b| and whether every element is within 1e-4 + 1e-3 |b|.
    static func compare(_ a: Tensor, _ b: Tensor) -> (maxError: Float, ok: Bool) {
        guard a.shape == b.shape else { return (.infinity, false) }
        // Strings (an inverse string lookup) must be equal, one by one.
        if a.text != nil || b.text != nil { return a.text == b.text ? (0, true) : (.infinity, false) }
        var m: Float = 0
        var ok = true
        for (x, y) in zip(a.data, b.data) {
            let e = abs(x - y)
            if !(e <= 1e-4 + 1e-3 * abs(y)) { ok = false }
            m = max(m, e.isNaN ? .infinity : e)
        }
        return (m, ok)
    }

    static func run(_ c: String, _ file: String) throws -> [(Tensor, Tensor)] {
        let p = path(c, file)
        let graph = try ModelFileReader.read(p)
        let weights = try ModelWeights.load(path: p, analysis: Analyzer.analyze(graph))
        let outputs = try Executor(graph: graph, weights: weights.tensors).run(try numbered(c, "input"))
        let expected = try numbered(c, "output")
        #expect(outputs.count == expected.count, "\(c)/\(file): \(outputs.count) outputs, Keras has \(expected.count)")
        return Array(zip(outputs, expected))
    }
}

@Suite struct ExecutorFixtureTests {
    static let all = ExecutionFixtures.kerasCases.map { ($0, "model.keras") } + ExecutionFixtures.h5Cases.map { ($0, "model_keras2.h5") }

    @Test(arguments: all)
    func matchesKeras(_ c: String, _ file: String) throws {
        for (i, (got, want)) in try ExecutionFixtures.run(c, file).enumerated() {
            #expect(got.shape == want.shape, "\(c)/\(file) output \(i): shape \(got.shape), Keras \(want.shape)")
            let (err, ok) = ExecutionFixtures.compare(got, want)
            print("EXEC \(c)/\(file) output \(i): max error \(err)")
            #expect(ok, "\(c)/\(file) output \(i): max |error| \(err) exceeds 1e-4 + 1e-3|ref|")
        }
    }
}

@Suite struct ReferenceKernelTests {
    let backend = ReferenceBackend()

    @Test func conv3x3SamePaddingByHand() {
        // 1x3x3x1 input 1...9, 3x3 kernel of ones except centre 2: each output is the sum of
        // its (zero-padded) neighbourhood plus the centre once more.
        let x = Tensor(shape: [1, 3, 3, 1], data: (1...9).map(Float.init))
        var k = [Float](repeating: 1, count: 9); k[4] = 2
        let y = backend.conv2d(x, kernel: Tensor(shape: [3, 3, 1, 1], data: k), bias: Tensor(shape: [1], data: [0.5]),
                               window: Window2D(kernel: [3, 3], strides: [1, 1], padding: .same), groups: 1)
        #expect(y.shape == [1, 3, 3, 1])
        // Top-left: 1+2+4+5 + 1 (centre again) + 0.5; centre: 45 + 5 + 0.5.
        #expect(y.data[0] == 13.5)
        #expect(y.data[4] == 50.5)
        #expect(y.data[8] == 37.5)
    }

    @Test func conv3x3ValidStride2AndSameSplit() {
        let x = Tensor(shape: [1, 4, 4, 1], data: (0..<16).map(Float.init))
        let k = Tensor(shape: [1, 1, 1, 1], data: [1])
        // Keras same with stride 2 on 4: out 2, pad_total max((2-1)*2+1-4, 0) = 0.
        let y = backend.conv2d(x, kernel: k, bias: nil, window: Window2D(kernel: [1, 1], strides: [2, 2], padding: .same), groups: 1)
        #expect(y.data == [0, 2, 8, 10])
        // 2x2 kernel, stride 2, same on 3: out 2, pad_total 1 -> top 0, bottom 1.
        let x3 = Tensor(shape: [1, 3, 3, 1], data: (1...9).map(Float.init))
        let y3 = backend.conv2d(x3, kernel: Tensor(shape: [2, 2, 1, 1], data: [1, 1, 1, 1]), bias: nil,
                                window: Window2D(kernel: [2, 2], strides: [2, 2], padding: .same), groups: 1)
        let want3: [Float] = [12, 9, 15, 9]
        #expect(y3.data == want3)
    }

    @Test func averagePoolSameExcludesPadding() {
        let x = Tensor(shape: [1, 3, 3, 1], data: (1...9).map(Float.init))
        let y = backend.averagePool2d(x, window: Window2D(kernel: [2, 2], strides: [2, 2], padding: .same))
        #expect(y.shape == [1, 2, 2, 1])
        #expect(y.data == [3, 4.5, 7.5, 9])
        let m = backend.maxPool2d(x, window: Window2D(kernel: [3, 3], strides: [1, 1], padding: .same))
        #expect(m.data == [5, 6, 6, 8, 9, 9, 8, 9, 9])
    }

    @Test func unsupportedLayerIsNamed() throws {
        let p = ExecutionFixtures.path("case_nested", "model.keras")
        var graph = try ModelFileReader.read(p)
        let weights = try ModelWeights.load(path: p, analysis: Analyzer.analyze(graph))
        let i = try #require(graph.layerIndex(named: "head"))
        graph.layers[i].kind = UnsupportedOp(className: "Mystery")
        graph.layers[i].className = "Mystery"
        let inputs = try ExecutionFixtures.numbered("case_nested", "input")
        do {
            _ = try Executor(graph: graph, weights: weights.tensors).run(inputs)
            Issue.record("an unsupported layer ran")
        } catch let e as ExecutionError {
            #expect(e.message.contains("\"head\"") && e.message.contains("Mystery") && e.message.contains("not runnable yet"), "\(e.message)")
        }
    }
}

@Suite struct ActivationFunctionTests {
    func values(_ name: String, _ xs: [Float], dialect: String = "keras3") throws -> [Float] {
        try ActivationFunctions.apply(Activations.function(name, isKeras2: dialect == "keras2"), Tensor(shape: [xs.count], data: xs), context: "test").data
    }

    func close(_ a: [Float], _ b: [Float]) -> Bool { zip(a, b).allSatisfy { abs($0 - $1) <= 1e-6 } && a.count == b.count }

    @Test func namedActivations() throws {
        #expect(close(try values("relu6", [-1, 3, 7]), [0, 3, 6]))
        #expect(close(try values("hard_sigmoid", [-4, 0, 1.5, 4]), [0, 0.5, 0.75, 1]))
        #expect(close(try values("hard_sigmoid", [-4, 0, 1]), [0, 0.5, 0.7]) == false)
        #expect(close(try values("hard_sigmoid", [-4, 0, 1], dialect: "keras2"), [0, 0.5, 0.7]))
        #expect(close(try values("hard_swish", [-4, 0, 1.5, 4]), [0, 0, 1.125, 4]))
        #expect(close(try values("leaky_relu", [-1, 2]), [-0.2, 2]))
        // Exact GELU: 0.5 x (1 + erf(x / sqrt 2)); at 1: 0.8413447.
        #expect(close(try values("gelu", [0, 1, -1]), [0, 0.8413447, -0.1586553]))
        #expect(close(try values("softmax", [0, 0]), [0.5, 0.5]))
        #expect(close(try values("silu", [0]), [0]))
        #expect(close(try values("softplus", [0]), [0.6931472]))
        #expect(throws: ExecutionError.self) { try values("sparsemax", [1]) }
    }

    @Test func reluLayerOptions() {
        let x = Tensor(shape: [5], data: [-2, -0.5, 0.5, 2, 8])
        #expect(ActivationFunctions.relu(x, maxValue: 6).data == [0, 0, 0.5, 2, 6])
        #expect(ActivationFunctions.relu(x, negativeSlope: 0.1).data.map { ($0 * 100).rounded() / 100 } == [-0.2, -0.05, 0.5, 2, 8])
        // threshold 1: values not above it are 0 (no negative slope).
        #expect(ActivationFunctions.relu(x, threshold: 1).data == [0, 0, 0, 2, 8])
    }

    @Test func dilatedAndDepthwiseConvolution() {
        let backend = ReferenceBackend()
        // 1x5x5x1 ramp; 2x2 kernel of ones with dilation 2, valid: out 3x3, each the sum of
        // x[i][j] + x[i][j+2] + x[i+2][j] + x[i+2][j+2].
        let x = Tensor(shape: [1, 5, 5, 1], data: (0..<25).map(Float.init))
        let y = backend.conv2d(x, kernel: Tensor(shape: [2, 2, 1, 1], data: [1, 1, 1, 1]), bias: nil,
                               window: Window2D(kernel: [2, 2], strides: [1, 1], dilation: [2, 2], padding: .valid), groups: 1)
        #expect(y.shape == [1, 3, 3, 1])
        #expect(y.data[0] == 0 + 2 + 10 + 12)
        // Depthwise, 2 channels, depth multiplier 2, 1x1 kernel: channel c*2+m = x_c * k[c][m].
        let x2 = Tensor(shape: [1, 1, 1, 2], data: [3, 5])
        let d = backend.depthwiseConv2d(x2, kernel: Tensor(shape: [1, 1, 2, 2], data: [1, 2, 10, 20]), bias: nil,
                                        window: Window2D(kernel: [1, 1], strides: [1, 1], padding: .valid))
        #expect(d.data == [3, 6, 50, 100])
    }
}
