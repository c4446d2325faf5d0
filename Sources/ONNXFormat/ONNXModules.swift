import ModelKit

/// Module paths from node names. Exporters name nodes after the module of the original
/// model that made them: PyTorch `/layer1/layer1.0/conv1/Conv`, tf2onnx
/// `functional_1/conv2d_1/BiasAdd`. The path without its last part (the op) is the module;
/// a first part every named node shares (`functional_1`, the model itself) is dropped.
enum ONNXModules {
    static func path(_ name: String) -> [String] {
        let parts = name.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard parts.count >= 2 else { return [] }
        return parts.dropLast().map { ONNXNames.display($0, limit: 80) }
    }

    static func assign(_ layers: inout [Layer], from nodes: [Onnx_NodeProto], firstNode: Int) {
        var paths = nodes.map { path($0.name) }
        let named = paths.filter { !$0.isEmpty }
        // Too few named nodes to say anything: leave the graph ungrouped.
        guard named.count >= 2 else { return }
        if let root = named.first?.first, named.allSatisfy({ $0.first == root }), paths.allSatisfy({ $0.isEmpty || $0.first == root }) {
            paths = paths.map { $0.isEmpty ? $0 : Array($0.dropFirst()) }
        }
        for (i, p) in paths.enumerated() where firstNode + i < layers.count {
            layers[firstNode + i].module = p
        }
    }
}
