import Testing
import Tensors
@testable import ModelKit

/// A graph built by hand, with no reader: input (N, 4, 4, 3) -> 3x3 convolution, 2 filters,
/// `same` padding, relu -> global average pool -> dense 2 units. Every figure below is hand
/// arithmetic small enough to check in the comment.
enum HandBuiltGraph {
    static func make(batch: Dim = .symbolic("N")) -> ModelGraph {
        let input = Layer(name: "image", className: "Input", kind: InputOp(shape: TensorShape(dimensions: [batch, .known(4), .known(4), .known(3)])),
                          calls: [[]])
        let geometry = ConvolutionGeometry(rank: 2, kernelSize: [3, 3], strides: [1, 1], dilation: [1, 1], padding: "same",
                                           channelsFirst: false, className: "Conv")
        var conv = Layer(name: "conv", className: "Conv",
                         kind: ConvolutionOp(geometry: geometry, filters: 2, groups: 1, useBias: true, activation: .relu, loraRank: nil),
                         calls: [[TensorRef(layer: 0, call: 0, tensor: 0)]])
        conv.initializerNames = ["conv.weight", "conv.bias"]
        let pool = Layer(name: "pool", className: "GlobalAveragePool",
                         kind: GlobalPoolingOp(reduction: GlobalPoolingReduction(layout: SpatialLayout(spatialRank: 2, channelsFirst: false), keepDims: false),
                                               kind: .average, sourceClass: "GlobalAveragePool"),
                         calls: [[TensorRef(layer: 1, call: 0, tensor: 0)]])
        var dense = Layer(name: "head", className: "Gemm", kind: DenseOp(units: 2, useBias: true, activation: .linear, loraRank: nil),
                          calls: [[TensorRef(layer: 2, call: 0, tensor: 0)]])
        dense.initializerNames = ["head.weight", "head.bias"]
        let layers = [input, conv, pool, dense]
        var graph = ModelGraph(name: "hand", className: "Graph", layers: layers,
                               inputs: [TensorRef(layer: 0, call: 0, tensor: 0)], outputs: [TensorRef(layer: 3, call: 0, tensor: 0)],
                               executionOrder: (try? ModelGraph.topologicalOrder(layers: layers)) ?? [],
                               source: SourceInfo(file: "hand-built", format: "test", dialect: "test"))
        graph.tensorNames[TensorRef(layer: 3, call: 0, tensor: 0)] = "logits"
        // Kernel 0.1 everywhere (HWIO), bias 0; dense kernel ones, bias (0, 1).
        graph.initializers = [
            "conv.weight": Initializer(name: "conv.weight", tensor: Tensor(shape: [3, 3, 3, 2], data: Array(repeating: 0.1, count: 54)), layout: "HWIO"),
            "conv.bias": Initializer(name: "conv.bias", tensor: Tensor(shape: [2], data: [0, 0]), layout: "C"),
            "head.weight": Initializer(name: "head.weight", tensor: Tensor(shape: [2, 2], data: [1, 1, 1, 1]), layout: "IO"),
            "head.bias": Initializer(name: "head.bias", tensor: Tensor(shape: [2], data: [0, 1]), layout: "C"),
        ]
        return graph
    }
}

@Suite struct HandBuiltGraphTests {
    @Test func analysisCountsTheHandBuiltGraph() throws {
        let graph = HandBuiltGraph.make()
        let a = Analyzer.analyze(graph)
        #expect(a.diagnostics.isEmpty, "\(a.diagnostics)")
        #expect(a.rows.map(\.name) == ["image", "conv", "pool", "head"])
        #expect(a.rows.map(\.op) == ["input", "convolution", "global_average_pool", "dense"])
        // conv: 3*3*3*2 kernel + 2 bias = 56; dense: 2*2 + 2 = 6.
        #expect(a.rows.map(\.params) == [0, 56, 0, 6])
        #expect(a.totals.params == 62)
        // conv: 4*4 positions * 2 filters * 27 = 864 MACs; dense 2*2 = 4.
        #expect(a.rows[1].macs == 864)
        #expect(a.totals.macs == 868)
        #expect(a.counts.withKernel == 2)
        #expect(a.counts.depth == 2)
        // The symbolic batch keeps its name through every node.
        #expect(a.rows[1].outputShapes.first??.formatted(unknown: "?") == "(N, 4, 4, 2)")
        #expect(a.rows[3].outputShapes.first??.formatted(unknown: "?") == "(N, 2)")
        #expect(a.rows[3].outputShapes.first??.dimensions == [.symbolic("N"), .known(2)])
    }

    @Test func valuesAreNamedAndShaped() throws {
        let graph = HandBuiltGraph.make(batch: .unknown)
        let values = graph.values(ShapeInference.run(graph))
        #expect(values.map(\.name) == ["image:0", "conv:0", "pool:0", "logits"])
        #expect(values.map { $0.shape?.description } == ["(None, 4, 4, 3)", "(None, 4, 4, 2)", "(None, 2)", "(None, 2)"])
        #expect(values[1].producer == TensorRef(layer: 1, call: 0, tensor: 0))
    }

    @Test func initializersBecomeEachLayersWeightsOnlyWhenRead() throws {
        var graph = HandBuiltGraph.make()
        let weights = try graph.initializerWeights()
        #expect(weights["conv"]?.map(\.shape) == [[3, 3, 3, 2], [2]])
        #expect(weights["head"]?.map(\.data) == [[1, 1, 1, 1], [0, 1]])
        // A layer naming an initializer the graph lacks is an error naming both.
        graph.layers[3].initializerNames = ["head.weight", "missing"]
        #expect(throws: StrataError.self) { try graph.initializerWeights() }
        do { _ = try graph.initializerWeights() } catch let e as StrataError {
            #expect(e.description.contains("\"missing\"") && e.description.contains("\"head\""))
        }
    }

    @Test func subgraphsAreReachableThroughTheOperator() {
        let inner = HandBuiltGraph.make()
        let op = SubgraphOp(graph: inner)
        #expect(op.subgraphs.map(\.name) == ["hand"])
        #expect(op.family == "model")
        #expect(DenseOp(units: 1, useBias: false, activation: .linear, loraRank: nil).subgraphs.isEmpty)
    }
}
