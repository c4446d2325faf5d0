import Testing
import Kernels
import ModelKit
@testable import Execution

/// Runs a graph built by hand (no reader), with its weights in graph initializers, on both
/// engines. Input all ones; conv kernel 0.1 everywhere with `same` padding, so each output
/// value is 0.1 x (the number of in-image pixels under the 3x3 window) x 3 channels:
/// corners 4 pixels -> 1.2, edges 6 -> 1.8, interior 9 -> 2.7. The 4x4 map has 4 corners,
/// 8 edge and 4 interior positions: mean (4*1.2 + 8*1.8 + 4*2.7) / 16 = 30 / 16 = 1.875 per
/// filter. Dense: ones kernel, bias (0, 1): 1.875 + 1.875 = 3.75 and 4.75.
@Suite struct HandBuiltGraphExecutionTests {
    static func graph(pads: SidePadding? = nil) -> ModelGraph {
        let input = Layer(name: "image", className: "Input", kind: InputOp(shape: TensorShape([nil, 4, 4, 3])), calls: [[]])
        let geometry = pads.map {
            ConvolutionGeometry(rank: 2, kernelSize: [3, 3], strides: [1, 1], dilation: [1, 1], pads: $0, channelsFirst: false, className: "Conv")
        } ?? ConvolutionGeometry(rank: 2, kernelSize: [3, 3], strides: [1, 1], dilation: [1, 1], padding: "same",
                                 channelsFirst: false, className: "Conv")
        var conv = Layer(name: "conv", className: "Conv",
                         kind: ConvolutionOp(geometry: geometry, filters: 2, groups: 1, useBias: true, activation: .relu, loraRank: nil),
                         calls: [[TensorRef(layer: 0, call: 0, tensor: 0)]])
        conv.initializerNames = ["w", "b"]
        let pool = Layer(name: "pool", className: "GlobalAveragePool",
                         kind: GlobalPoolingOp(reduction: GlobalPoolingReduction(layout: SpatialLayout(spatialRank: 2, channelsFirst: false), keepDims: false),
                                               kind: .average),
                         calls: [[TensorRef(layer: 1, call: 0, tensor: 0)]])
        var dense = Layer(name: "head", className: "Gemm", kind: DenseOp(units: 2, useBias: true, activation: .linear, loraRank: nil),
                          calls: [[TensorRef(layer: 2, call: 0, tensor: 0)]])
        dense.initializerNames = ["hw", "hb"]
        let layers = [input, conv, pool, dense]
        var g = ModelGraph(name: "hand", className: "Graph", layers: layers,
                           inputs: [TensorRef(layer: 0, call: 0, tensor: 0)], outputs: [TensorRef(layer: 3, call: 0, tensor: 0)],
                           executionOrder: (try? ModelGraph.topologicalOrder(layers: layers)) ?? [],
                           source: SourceInfo(file: "hand-built", format: "test", dialect: "test"))
        g.initializers = [
            "w": Initializer(name: "w", tensor: Tensor(shape: [3, 3, 3, 2], data: Array(repeating: 0.1, count: 54))),
            "b": Initializer(name: "b", tensor: Tensor(shape: [2], data: [0, 0])),
            "hw": Initializer(name: "hw", tensor: Tensor(shape: [2, 2], data: [1, 1, 1, 1])),
            "hb": Initializer(name: "hb", tensor: Tensor(shape: [2], data: [0, 1])),
        ]
        return g
    }

    static let input = Tensor(shape: [1, 4, 4, 3], data: Array(repeating: 1, count: 48))

    @Test func referenceEngineRunsIt() throws {
        let g = Self.graph()
        let out = try Executor(graph: g, weights: try g.initializerWeights()).run([Self.input])
        #expect(out.count == 1 && out[0].shape == [1, 2])
        #expect(abs(out[0].data[0] - 3.75) < 1e-5 && abs(out[0].data[1] - 4.75) < 1e-5, "\(out[0].data)")
    }

    @Test func planOnOneDNNRunsItWithTheConvolutionFused() throws {
        let g = Self.graph()
        let backend = try DNNLBackend()
        let plan = try ExecutionPlan.build(graph: g, weights: try g.initializerWeights(), inputShapes: [[1, 4, 4, 3]], backend: backend)
        let out = try plan.run([Self.input])
        #expect(abs(out[0].data[0] - 3.75) < 1e-5 && abs(out[0].data[1] - 4.75) < 1e-5, "\(out[0].data)")
        // The relu runs inside the convolution primitive.
        #expect(plan.stepDescriptions.contains { $0.hasPrefix("conv: convolution") && $0.contains("relu") }, "\(plan.stepDescriptions)")
    }

    /// Explicit pads (1, 1) on both axes are `same` for a 3x3 window at stride 1.
    @Test func explicitSymmetricPadsEqualSame() throws {
        let g = Self.graph(pads: SidePadding(before: [1, 1], after: [1, 1]))
        let reference = try Executor(graph: g, weights: try g.initializerWeights()).run([Self.input])
        let plan = try ExecutionPlan.build(graph: g, weights: try g.initializerWeights(), inputShapes: [[1, 4, 4, 3]], backend: try DNNLBackend())
        for out in [reference, try plan.run([Self.input])] {
            #expect(abs(out[0].data[0] - 3.75) < 1e-5 && abs(out[0].data[1] - 4.75) < 1e-5, "\(out[0].data)")
        }
    }

    /// Two rows of zeros above, none elsewhere: the output is 4 x 2; its rows see 1, 2, 3 and
    /// 3 image rows of 3 columns x 3 channels x 0.1, i.e. 0.9, 1.8, 2.7, 2.7; the mean over
    /// 8 positions is 2 x 8.1 / 8 = 2.025; dense: 4.05 and 5.05.
    @Test func explicitAsymmetricPadsOnBothEngines() throws {
        let g = Self.graph(pads: SidePadding(before: [2, 0], after: [0, 0]))
        let a = Analyzer.analyze(g)
        #expect(a.rows[1].outputShapes.first??.dims == [nil, 4, 2, 2])
        let reference = try Executor(graph: g, weights: try g.initializerWeights()).run([Self.input])
        let plan = try ExecutionPlan.build(graph: g, weights: try g.initializerWeights(), inputShapes: [[1, 4, 4, 3]], backend: try DNNLBackend())
        #expect(plan.stepDescriptions.contains { $0.hasPrefix("conv: convolution") }, "\(plan.stepDescriptions)")
        for out in [reference, try plan.run([Self.input])] {
            #expect(abs(out[0].data[0] - 4.05) < 1e-5 && abs(out[0].data[1] - 5.05) < 1e-5, "\(out[0].data)")
        }
    }
}
