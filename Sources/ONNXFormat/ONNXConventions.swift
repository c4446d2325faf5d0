import ModelKit

/// How ONNX's own tools (onnx, onnx-tool, Netron) count, in words the report prints.
enum ONNXConventions {
    static let standard: CountingConventions = {
        var c = CountingConventions(
            formatName: "ONNX",
            layerCountLabel: "nodes of the ONNX graph (graph.node)",
            layerCountDefinition: "nodes: the entries of the main graph's node list, each one step of the computation (a Conv, an Add, a Reshape)",
            layerTermNote: "ONNX has no layers, only nodes: an exporter writes each module of the original model as one or more nodes (a Linear layer becomes a Gemm, or a MatMul and an Add; a flatten becomes Shape, Gather, Concat and Reshape nodes), and folds some away (a batch normalization merged into the convolution before it), so the node count differs from the number of modules in the code the model came from.",
            unlistedInputNote: "the graph's inputs are values, not nodes, so they are not among them",
            parameterNote: "Parameters are the elements of the main graph's floating-point initializers, as onnx-tool and Netron count them, each counted once at the first node that reads it. ONNX does not record which tensors are trained: Strata lists a BatchNormalization node's mean and variance as non-trainable statistics and every other tensor as trainable. Constants written into the graph as nodes and integer (quantized) tensors are listed apart.",
            parameterShortNote: "floating-point initializers, as onnx-tool counts",
            nonTrainableNote: "BatchNormalization means and variances",
            batchNormalizationNote: "An ONNX BatchNormalization node holds 4 numbers per channel (scale, bias, mean and variance), as Keras counts them.",
            batchNormalizationComparison: "Exporters often fold batch normalization away instead: PyTorch merges it into the preceding convolution's weights, tf2onnx into a Mul and an Add holding 2 numbers per channel.",
            unknownDimension: "?",
            kernelCountLabel: "nodes with a kernel (convolutions, matrix products, recurrent nodes; subgraphs opened)")
        c.unitName = "node"
        c.biasAddsInMACs = true
        return c
    }()

    /// Sentences about this file's export that change how its figures compare with the
    /// original model's: batch normalizations tf2onnx turned into a Mul and an Add.
    static func notes(_ graph: ModelGraph, producer: String) -> [String] {
        var notes: [String] = []
        // tf2onnx names the pair `<layer>/batchnorm/mul` (or `mul_1`) and `<layer>/batchnorm/add_1`.
        var channels: [String: Int] = [:]
        var order: [String] = []
        for layer in graph.layers where layer.className == "Mul" {
            guard let range = layer.name.range(of: "/batchnorm/mul") else { continue }
            let owner = String(layer.name[..<range.lowerBound])
            guard channels[owner] == nil, let w = layer.heldWeights?.first, let n = w.count else { continue }
            channels[owner] = n
            order.append(owner)
        }
        if !order.isEmpty {
            let fileParams = checkedSum(graph.layers.flatMap { ($0.heldWeights ?? []).map(\.count) })
            let total = order.reduce(0) { $0 + channels[$1]! }
            let shown = order.prefix(3).map { short($0) }.joined(separator: ", ") + (order.count > 3 ? " and \(order.count - 3) more" : "")
            let by = producer.isEmpty ? "The exporter" : producer
            notes.append("\(by) turned \(order.count) batch normalization\(order.count == 1 ? "" : "s") (\(shown)) into a Mul and an Add each, merging the moving mean and variance into a per-channel scale and offset: 2 numbers per channel where Keras keeps 4 (gamma, beta, moving mean, moving variance). For these \(total) channels Keras counts \(2 * total) more parameters than this file holds, so the original Keras model's total is this one plus \(2 * total)\(fileParams.map { " (\($0.formatted()) + \(2 * total) = \(($0 + 2 * total).formatted()))" } ?? "").")
        }
        return notes
    }

    static func short(_ s: String) -> String { ONNXNames.short(s, 60) }
}
