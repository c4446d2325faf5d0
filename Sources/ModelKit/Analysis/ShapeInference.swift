/// Output shapes of every call in a graph, computed in execution order.
///
/// Shapes that cannot be inferred (an unsupported layer with nothing recorded, inputs that
/// do not fit) are nil from there on; the first failure on each path is a diagnostic.
public struct ShapeInference: Sendable {
    /// Input shapes of each call, indexed like `ModelGraph.layers[i].calls[j]`.
    public var inputs: [[[TensorShape?]]]
    /// Output shapes of each call; nil when unknown.
    public var outputs: [[[TensorShape]?]]
    public var diagnostics: [Diagnostic]
    /// Contents known before running of the tensors shape arithmetic computes (constants,
    /// shapes taken as data), by call; absent for most calls.
    public var values: [NodeID: [TensorValue?]] = [:]
    /// For each call of a nested graph, the inference of that graph on the call's inputs:
    /// made once here, reused by the analysis of the nested graph.
    public var nested: [NodeID: ShapeInference] = [:]

    /// The known contents of the tensor `ref`, if any.
    public func value(of ref: TensorRef) -> TensorValue? {
        guard let vals = values[NodeID(layer: ref.layer, call: ref.call)], ref.tensor < vals.count else { return nil }
        return vals[ref.tensor]
    }

    public func shape(of ref: TensorRef) -> TensorShape? {
        guard ref.layer < outputs.count, ref.call < outputs[ref.layer].count,
              let outs = outputs[ref.layer][ref.call], ref.tensor < outs.count else { return nil }
        return outs[ref.tensor]
    }

    /// Runs inference. `inputShapes`, when given, replace the declared shapes of the graph's
    /// inputs in order (a nested model called on a tensor).
    public static func run(_ graph: ModelGraph, inputShapes: [TensorShape]? = nil, inputValues: [TensorValue?] = []) -> ShapeInference {
        var result = ShapeInference(
            inputs: graph.layers.map { Array(repeating: [], count: $0.calls.count) },
            outputs: graph.layers.map { Array(repeating: nil, count: $0.calls.count) },
            diagnostics: [])
        var overrides: [NodeID: TensorShape] = [:]
        if let inputShapes {
            for (i, ref) in graph.inputs.enumerated() where i < inputShapes.count {
                overrides[NodeID(layer: ref.layer, call: ref.call)] = inputShapes[i]
            }
        }
        let file = graph.source.file
        for node in graph.executionOrder {
            let layer = graph.layers[node.layer]
            let args = layer.calls[node.call]
            var ins: [TensorShape?] = []
            var missing = false
            var inValues: [TensorValue?] = []
            var anyValue = false
            for ref in args {
                let v = result.value(of: ref)
                if v != nil { anyValue = true }
                inValues.append(v)
                let s = result.shape(of: ref)
                if s == nil {
                    missing = true
                    if let outs = result.outputs[ref.layer][ref.call], ref.tensor >= outs.count {
                        result.diagnostics.append(Diagnostic(.error, "bad-tensor-index",
                            "\(file): layer \"\(layer.name)\" uses output \(ref.tensor) of layer \"\(graph.layers[ref.layer].name)\", which has only \(outs.count) output(s)"))
                    }
                }
                ins.append(s)
            }
            result.inputs[node.layer][node.call] = ins
            if let o = overrides[node], layer.kind is InputOp {
                result.outputs[node.layer][node.call] = [o]
                // Known contents handed in from the graph around (a branch's captured values).
                if let i = graph.inputs.firstIndex(where: { $0.layer == node.layer && $0.call == node.call }), i < inputValues.count,
                   let v = inputValues[i] {
                    result.values[node] = [v]
                }
                continue
            }
            let recorded = node.call < layer.recordedOutputShapes.count ? layer.recordedOutputShapes[node.call] : []
            if missing {
                if !recorded.isEmpty { result.outputs[node.layer][node.call] = recorded }
                continue
            }
            let known = ins.compactMap { $0 }
            do {
                var outs: [TensorShape]
                if let sub = layer.kind as? SubgraphOp {
                    let inner = ShapeInference.run(sub.graph, inputShapes: known)
                    result.nested[node] = inner
                    outs = try sub.outputs(of: inner)
                } else if anyValue {
                    outs = try layer.kind(call: node.call).outputShapes(known, values: inValues)
                } else {
                    outs = try layer.kind(call: node.call).outputShapes(known)
                }
                // A named batch axis keeps its name through the node.
                if let name = known.first?.symbol(0) {
                    for i in outs.indices where outs[i].rank > 0 && outs[i].dims[0] == nil && outs[i].symbol(0) == nil {
                        if outs[i].symbols.isEmpty { outs[i].symbols = Array(repeating: nil, count: outs[i].rank) }
                        outs[i].symbols[0] = name
                    }
                }
                result.outputs[node.layer][node.call] = outs
                let produced = layer.kind(call: node.call).outputValues(known, values: inValues, outputs: outs)
                if produced.contains(where: { $0 != nil }) { result.values[node] = produced }
            } catch {
                if let open = error as? ShapeDependsOnData {
                    if !recorded.isEmpty { result.outputs[node.layer][node.call] = recorded } else {
                        result.diagnostics.append(Diagnostic(.warning, "unknown-shape", "\(file): node \"\(layer.name)\": \(open.message); shapes after it are unknown"))
                    }
                    continue
                }
                if layer.kind is TensorFunctionOp {
                    if !recorded.isEmpty { result.outputs[node.layer][node.call] = recorded } else {
                        let message = (error as? LayerError)?.message ?? String(describing: error)
                        // A rule that exists but refused these inputs says why; else there is no rule.
                        let why = message.hasSuffix("has no shape rule in Strata")
                            ? "has no shape rule and the file records no output shape"
                            : "cannot take inputs \(known.map(\.description).joined(separator: ", ")): \(message)"
                        result.diagnostics.append(Diagnostic(.warning, "unknown-shape",
                            "\(file): operation \"\(layer.name)\" (\((layer.kind as! TensorFunctionOp).name)) \(why); shapes after it are unknown"))
                    }
                    continue
                }
                if let u = layer.kind as? UnsupportedOp {
                    if !recorded.isEmpty {
                        result.outputs[node.layer][node.call] = recorded
                    } else {
                        result.diagnostics.append(Diagnostic(.warning, "unknown-shape",
                            "\(file): layer \"\(layer.name)\" (class \(u.savedClassName)) is not supported and the file records no output shape; shapes after it are unknown"))
                    }
                    continue
                }
                let message = (error as? LayerError)?.message ?? String(describing: error)
                let inputText = known.map(\.description).joined(separator: ", ")
                result.diagnostics.append(Diagnostic(.error, "shape-mismatch",
                    "\(file): \(layer.path) (layer \"\(layer.name)\", \(layer.className)): \(message) (inputs: \(inputText))"))
            }
        }
        return result
    }
}
