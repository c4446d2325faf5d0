/// A model used as a node of another model (a nested model). Its shapes come from
/// running shape inference over its own graph with the call's input shapes.
public struct SubgraphOp: Operator {
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .model }
    public var family: String { "model" }
    public var subgraphs: [ModelGraph] { [graph] }


    public let graph: ModelGraph

    public init(graph: ModelGraph) { self.graph = graph }


    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        try outputs(of: ShapeInference.run(graph, inputShapes: inputs))
    }

    /// The graph's output shapes under `result`, the inner graph's inference for one call;
    /// an error naming the first problem inside.
    public func outputs(of result: ShapeInference) throws -> [TensorShape] {
        if let firstError = result.diagnostics.first(where: { $0.severity == .error }) {
            throw LayerError("inside nested model \"\(graph.name)\": \(firstError.message)")
        }
        var shapes: [TensorShape] = []
        for ref in graph.outputs {
            guard let s = result.shape(of: ref) else {
                throw LayerError("the output of nested model \"\(graph.name)\" from layer \"\(graph.layers[ref.layer].name)\" has an unknown shape")
            }
            shapes.append(s)
        }
        return shapes
    }
}
