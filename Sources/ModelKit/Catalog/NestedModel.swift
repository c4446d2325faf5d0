/// A Functional or Sequential model used as a layer of another model. Its shapes come from
/// running shape inference over its own graph with the call's input shapes.
public struct NestedModel: LayerKind {
    public static let className = "Functional"
    public static let aliases = ["Sequential", "Model"]
    public static let category = LayerCategory.model
    public static let summary = "A whole model used as one layer of another; its own layers are listed beneath it."

    public let graph: ModelGraph

    public init(graph: ModelGraph) { self.graph = graph }

    public init(config: LayerConfig) throws {
        throw config.error(nil, "a nested model is read by the model reader, not from a layer config")
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let result = ShapeInference.run(graph, inputShapes: inputs)
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
