/// Turns a `ModelGraph` into a `ModelAnalysis`: shapes, parameters, MACs, memory and
/// structure. Pure: the same graph always gives the same analysis.
public enum Analyzer {
    public static func analyze(_ graph: ModelGraph) -> ModelAnalysis {
        WorkStage.enter("analysing")
        return analyze(graph, inputShapes: nil, parentTrainable: true)
    }

    /// Analysis at a stated input size: `inputShapes` (batch axis included, one per model
    /// input in order) replace the declared input shapes, e.g. to count MACs for a model
    /// whose spatial dimensions are left open.
    public static func analyze(_ graph: ModelGraph, inputShapes: [TensorShape]) -> ModelAnalysis {
        WorkStage.enter("analysing")
        return analyze(graph, inputShapes: inputShapes, parentTrainable: true)
    }

    /// The input shapes the model declares, in input order (nil where unknown).
    public static func declaredInputShapes(_ graph: ModelGraph) -> [TensorShape?] {
        graph.inputs.map { ref in (graph.layers[ref.layer].kind as? InputOp)?.shape }
    }

    static func analyze(_ graph: ModelGraph, inputShapes: [TensorShape]?, parentTrainable: Bool,
                        inference given: ShapeInference? = nil) -> ModelAnalysis {
        let inference = given ?? ShapeInference.run(graph, inputShapes: inputShapes)
        var diagnostics = inference.diagnostics
        let file = graph.source.file

        var rows: [LayerRow] = []
        let masked = graph.maskedOutputs
        let dead = graph.deadOperations
        var nestedDepth: [Int: Int] = [:]
        var nestedPeak: [Int: Int] = [:]
        var rowIndexOfLayer: [Int: Int] = [:]
        var operations: [LayerRow] = []

        for (li, layer) in graph.layers.enumerated() {
            let trainable = parentTrainable && layer.trainable && graph.trainable
            let callOuts: [[TensorShape?]] = inference.outputs[li].map { outs in outs.map { $0.map { Optional($0) } } ?? [nil] }
            let inputs: [[TensorSource]] = layer.calls.map { args in
                args.map { TensorSource(layer: graph.layers[$0.layer].name, call: $0.call, tensor: $0.tensor) }
            }
            var row = LayerRow(
                name: layer.name, className: layer.className, category: layer.kind.category,
                supported: !(layer.kind is UnsupportedOp), outputShapes: callOuts.first ?? [],
                callOutputShapes: callOuts, weights: [], params: 0, trainableParams: 0, nonTrainableParams: 0,
                weightBytes: 0, macs: 0, outputBytes: nil, inputsPerCall: inputs, children: [], trainable: layer.trainable)
            row.op = layer.kind.family
            row.module = layer.module

            if let nested = layer.kind as? SubgraphOp {
                row.modelInputs = nested.graph.inputs.map { nested.graph.layers[$0.layer].name }
                row.modelOutputs = nested.graph.outputs.map { nested.graph.layers[$0.layer].name }
                var macs: Int? = 0
                for (ci, _) in layer.calls.enumerated() {
                    let ins = inference.inputs[li][ci]
                    let known = ins.allSatisfy { $0 != nil } ? ins.compactMap { $0 } : nil
                    // The nested graph's shapes were inferred with the outer graph's; reuse them.
                    let sub = analyze(nested.graph, inputShapes: known, parentTrainable: trainable,
                                      inference: known == nil ? nil : inference.nested[NodeID(layer: li, call: ci)])
                    if ci == 0 {
                        row.children = sub.rows
                        row.operations = sub.operations
                        row.params = sub.totals.params
                        row.trainableParams = sub.totals.trainableParams
                        row.nonTrainableParams = sub.totals.nonTrainableParams
                        row.weightBytes = sub.totals.weightBytes
                        nestedDepth[li] = sub.counts.depth
                        nestedPeak[li] = sub.totals.peakActivationBytes
                        for d in sub.diagnostics where !diagnostics.contains(d) { diagnostics.append(d) }
                    }
                    macs = checkedSum([macs, sub.totals.macs])
                }
                row.macs = layer.calls.isEmpty ? 0 : macs
            } else {
                // Weights: built on the first call whose inputs are all known.
                var built = false
                if let held = layer.heldWeights {
                    row.weights = held.map { var w = $0; if !trainable { w.trainable = false }; return w }
                    built = true
                }
                for (ci, ins) in inference.inputs[li].enumerated() where !built && ins.allSatisfy({ $0 != nil }) && !(layer.kind is UnsupportedOp) {
                    do {
                        row.weights = try layer.kind.weights(ins.compactMap { $0 }).map {
                            var w = $0
                            if !trainable { w.trainable = false }
                            if layer.dtype != .float32 { w.dtype = layer.dtype.variableDType }
                            return w
                        }
                        built = true
                    } catch {
                        let message = (error as? LayerError)?.message ?? String(describing: error)
                        diagnostics.append(Diagnostic(.error, "weights", "\(file): \(layer.path) (layer \"\(layer.name)\", \(layer.className)): \(message)"))
                    }
                    _ = ci
                    break
                }
                if !built, let u = layer.kind as? UnsupportedOp, !u.knownWeights.isEmpty {
                    // The file keeps a custom layer's weights but not which are trainable: all
                    // of them are non-trainable when the layer is frozen, else it is not known.
                    row.weights = u.knownWeights.map { var w = $0; w.trainable = trainable ? nil : false; return w }
                    built = true
                }
                if !built && !layer.calls.isEmpty && !(layer.kind is InputOp) {
                    row.params = nil; row.trainableParams = nil; row.nonTrainableParams = nil; row.weightBytes = nil
                } else {
                    let counts = row.weights.map(\.count)
                    row.params = checkedSum(counts)
                    // The split is unknown as soon as one weight's trainability is.
                    let known = row.weights.allSatisfy { $0.trainable != nil }
                    row.trainableParams = known ? checkedSum(row.weights.filter { $0.trainable == true }.map(\.count)) : nil
                    row.nonTrainableParams = known ? checkedSum(row.weights.filter { $0.trainable == false }.map(\.count)) : nil
                    row.weightBytes = checkedSum(row.weights.map { w in w.count.flatMap { c in checkedProduct([c, w.dtype.byteSize]) } })
                }
                // MACs over every call.
                var macs: Int? = 0
                for ci in layer.calls.indices {
                    let ins = inference.inputs[li][ci]
                    guard ins.allSatisfy({ $0 != nil }), let outs = inference.outputs[li][ci] else { macs = nil; break }
                    macs = checkedSum([macs, layer.kind(call: ci).macs(ins.compactMap { $0 }, outs)])
                    if graph.source.conventions.biasAddsInMACs, Self.addsBias(layer.kind(call: ci)) {
                        macs = checkedSum([macs, outs.first?.elementCount(batch: 1)])
                    }
                }
                row.macs = macs
                if let flow = layer.kind as? ControlFlowOp, let ins = inference.inputs[li].first {
                    // Each nested graph as a child row holding its own rows. Its weights are
                    // shown there but not added to the node's: the format's count (and this
                    // one) counts the main graph's tensors.
                    let known = ins.map { $0 ?? TensorShape([]) }
                    let shapes = flow.graphInputShapes(known)
                    var inner: Int? = 0
                    for (g, graph) in flow.graphs.enumerated() {
                        let sub = analyze(graph, inputShapes: shapes[g], parentTrainable: trainable)
                        var child = LayerRow(name: flow.labels[g], className: "graph", category: .model, supported: true,
                                             outputShapes: sub.outputs.map(\.shape), callOutputShapes: [sub.outputs.map(\.shape)],
                                             weights: [], params: 0, trainableParams: 0, nonTrainableParams: 0, weightBytes: 0,
                                             macs: sub.totals.macs, outputBytes: nil, inputsPerCall: [], children: sub.rows, trainable: trainable)
                        child.op = "graph"
                        child.modelInputs = sub.inputs.map(\.layer)
                        child.modelOutputs = sub.outputs.map(\.layer)
                        row.children.append(child)
                        inner = checkedSum([inner, sub.totals.macs])
                        for d in sub.diagnostics where !diagnostics.contains(d) { diagnostics.append(d) }
                    }
                    row.macs = checkedSum([row.macs, inner])
                }
            }
            row.outputBytes = tensorBytes(row.outputShapes, dtype: outputDType(layer))
            row.mask = masked[li].first?.first ?? false
            if layer.listed {
                rowIndexOfLayer[li] = rows.count
                rows.append(row)
            } else if layer.kind is TensorFunctionOp && !dead.contains(li) {
                // An operation no output depends on (how a framework computed a padding mask,
                // read only by mask arguments) is not part of the model's computation.
                row.isOperation = true
                operations.append(row)
            }
            // A node the format does not list (a hidden input) gets no row.
        }

        // Totals.
        var totals = ModelAnalysis.Totals()
        let allRows = graph.layers.indices.compactMap { rowIndexOfLayer[$0].map { rows[$0] } }
        totals.params = sumKnown(allRows.map(\.params))
        // A layer whose parameters are counted but whose split is not makes the model's split unknown.
        let splitKnown = !allRows.contains { $0.params != nil && $0.trainableParams == nil }
        totals.trainableParams = splitKnown ? sumKnown(allRows.map(\.trainableParams)) : nil
        totals.nonTrainableParams = splitKnown ? sumKnown(allRows.map(\.nonTrainableParams)) : nil
        totals.layersWithUnknownSplit = allRows.flatMap { row in
            row.children.isEmpty ? (row.params != nil && row.trainableParams == nil ? [row.name] : [])
                : row.children.filter { $0.params != nil && $0.trainableParams == nil }.map { "\(row.name)/\($0.name)" } }
        totals.weightBytes = sumKnown(allRows.map(\.weightBytes))
        // MACs are unknown as soon as one layer's are (open spatial dimensions): a partial sum
        // would look like a real figure.
        totals.macs = checkedSum(allRows.map(\.macs))
        totals.layersWithUnknownParams = allRows.flatMap { row in
            row.children.isEmpty ? (row.params == nil ? [row.name] : []) : [] }
        for row in allRows where !row.children.isEmpty { totals.layersWithUnknownParams += row.children.filter { $0.params == nil }.map { "\(row.name)/\($0.name)" } }
        totals.peakActivationBytes = peakActivation(graph, inference, nestedPeak: nestedPeak)
        totals.uncountedConstants = graph.uncountedConstants

        // Structure.
        let depthResult = depth(graph, inference, nestedDepth: nestedDepth)
        func kernelCount(_ rows: [LayerRow]) -> Int {
            rows.reduce(0) { $0 + ($1.children.isEmpty ? ($1.category == .kernel ? 1 : 0) : kernelCount($1.children)) }
        }
        let counts = ModelAnalysis.LayerCounts(
            topLevelLayers: rows.count,
            withWeights: rows.filter { ($0.params ?? 0) > 0 }.count,
            withKernel: kernelCount(rows),
            depth: depthResult)

        var merges: [ModelAnalysis.MergePoint] = []
        for li in graph.layers.indices {
            guard let ri = rowIndexOfLayer[li], rows[ri].category == .merge else { continue }
            let row = rows[ri]
            // A function node that joins branches names the join by its function.
            let op = (graph.layers[li].kind as? TensorFunctionOp).map { Self.mergeFamily($0.function) } ?? row.op
            merges.append(.init(layer: row.name, op: op, className: row.className, inputs: row.inboundPerCall.first ?? []))
        }
        // Inline operations that join two tensors of the model (ConvNeXt's residual x + y)
        // are merge points too.
        for li in graph.layers.indices {
            guard let op = graph.layers[li].kind as? TensorFunctionOp, let joining = op.joinsAs,
                  !(graph.layers[li].listed && op.category == .merge),
                  let args = graph.layers[li].calls.first, Set(args.map { NodeID(layer: $0.layer, call: $0.call) }).count >= 2 else { continue }
            merges.append(.init(layer: graph.layers[li].name, op: joining.lowercased(), className: joining,
                                inputs: args.map { graph.layers[$0.layer].name }))
        }

        var stages: [ModelAnalysis.ResolutionStage] = []
        // Stages: where the kernel layers (the ones doing the work) run; padding, pooling
        // and the input do not open a stage of their own.
        for node in graph.executionOrder where graph.layers[node.layer].kind.category == .kernel {
            guard let outs = inference.outputs[node.layer][node.call], let s = outs.first, s.rank == 4 else { continue }
            // Images are (batch, height, width, channels), or channels first where the node says so.
            let first = Self.channelsFirst(graph.layers[node.layer].kind)
            guard let h = s.dims[first ? 2 : 1], let w = s.dims[first ? 3 : 2], let c = s.dims[first ? 1 : 3], h != 1 || w != 1 else { continue }
            if let last = stages.last, last.resolution == [h, w] {
                stages[stages.count - 1].layers += 1
                stages[stages.count - 1].maxChannels = max(last.maxChannels, c)
            } else if let i = stages.firstIndex(where: { $0.resolution == [h, w] }), i == stages.count - 2 {
                // A branch that briefly returns to the previous resolution stays in its stage.
                stages[i].layers += 1
            } else {
                stages.append(.init(resolution: [h, w], maxChannels: c, layers: 1))
            }
        }

        let inputs = graph.inputs.map { ModelAnalysis.Endpoint(layer: graph.layers[$0.layer].name, shape: inference.shape(of: $0)) }
        let outputs = graph.outputs.map { ModelAnalysis.Endpoint(layer: graph.layers[$0.layer].name, shape: inference.shape(of: $0)) }

        // One warning per unsupported class, naming its layers.
        var unsupportedByClass: [(String, [String])] = []
        for layer in graph.layers {
            guard let u = layer.kind as? UnsupportedOp else { continue }
            if let i = unsupportedByClass.firstIndex(where: { $0.0 == u.savedClassName }) { unsupportedByClass[i].1.append(layer.name) } else { unsupportedByClass.append((u.savedClassName, [layer.name])) }
        }
        for (cls, names) in unsupportedByClass {
            let shown = names.prefix(5).map { "\"\($0)\"" }.joined(separator: ", ") + (names.count > 5 ? " and \(names.count - 5) more" : "")
            diagnostics.append(Diagnostic(.warning, "unsupported-layer",
                "\(file): class \"\(cls)\" is not supported (layer\(names.count == 1 ? "" : "s") \(shown)); kept in the graph, weights counted only when the file has them, cannot be run"))
        }

        var analysis = ModelAnalysis(modelName: graph.name, modelClass: graph.className, source: graph.source, rows: rows,
                                     inputs: inputs, outputs: outputs, totals: totals, counts: counts, merges: merges,
                                     stages: stages, diagnostics: diagnostics)
        analysis.operations = operations
        return analysis
    }

    /// Whether the operator adds a bias to each output value (for formats whose tools count
    /// that addition).
    static func addsBias(_ op: any Operator) -> Bool {
        switch op {
        case let c as ConvolutionOp: return c.useBias
        case let c as DepthwiseConvolutionOp: return c.useBias
        case let c as SeparableConvolutionOp: return c.useBias
        case let c as TransposedConvolutionOp: return c.useBias
        case let d as DenseOp: return d.useBias
        case let f as TensorFunctionOp where f.function == "convolution" || f.function == "gemm":
            // A third argument is the bias.
            guard let ops = f.operands, ops.count > 2 else { return false }
            if case .absent = ops[2] { return false }
            return true
        default: return false
        }
    }

    /// Whether a window operator's images put the channels before the spatial axes.
    static func channelsFirst(_ op: any Operator) -> Bool {
        switch op {
        case let c as ConvolutionOp: return c.geometry.channelsFirst
        case let c as DepthwiseConvolutionOp: return c.geometry.channelsFirst
        case let c as SeparableConvolutionOp: return c.geometry.channelsFirst
        case let c as TransposedConvolutionOp: return c.geometry.channelsFirst
        default: return false
        }
    }

    /// The merge family a joining function belongs to (`concat` joins like `concatenate`).
    static func mergeFamily(_ function: String) -> String {
        switch function {
        case "concat", "concatenate": return "concatenate"
        case "mul", "multiply": return "multiply"
        case "sub", "subtract": return "subtract"
        default: return function
        }
    }

    /// Sum of the known terms (unknown ones are listed separately); nil only on overflow.
    static func sumKnown(_ values: [Int?]) -> Int? { checkedSum(values.map { $0 ?? 0 }) }

    static func outputDType(_ layer: Layer) -> DType {
        if let input = layer.kind as? InputOp { return input.dtype }
        return layer.dtype.computeDType
    }

    static func tensorBytes(_ shapes: [TensorShape?], dtype: DType) -> Int? {
        checkedSum(shapes.map { s in s?.elementCount(batch: 1).flatMap { checkedProduct([$0, dtype.byteSize]) } })
    }

    /// Peak of live activation bytes at batch 1 when the calls run in execution order and
    /// each tensor is freed after its last use (graph outputs live to the end).
    static func peakActivation(_ graph: ModelGraph, _ inference: ShapeInference, nestedPeak: [Int: Int]) -> Int? {
        // Calls numbered in file order, arrays indexed by that number (no hashing per call).
        let offset = ModelGraph.callOffsets(graph.layers)
        func index(_ layer: Int, _ call: Int) -> Int { offset[layer] + call }
        let total = offset[graph.layers.count]
        var lastUse = [Int](repeating: -1, count: total)
        for (step, node) in graph.executionOrder.enumerated() {
            for ref in graph.layers[node.layer].calls[node.call] { lastUse[index(ref.layer, ref.call)] = step }
        }
        for ref in graph.outputs { lastUse[index(ref.layer, ref.call)] = Int.max }
        var live = 0, peak = 0
        var liveBytes = [Int?](repeating: nil, count: total)
        for (step, node) in graph.executionOrder.enumerated() {
            let layer = graph.layers[node.layer]
            guard let outs = inference.outputs[node.layer][node.call],
                  let bytes = tensorBytes(outs, dtype: outputDType(layer)) else { return nil }
            // A nested model holds its own intermediate tensors while it runs.
            let inner = max((nestedPeak[node.layer] ?? 0) - bytes, 0)
            live += bytes
            peak = max(peak, live + inner)
            let me = index(node.layer, node.call)
            liveBytes[me] = bytes
            for ref in layer.calls[node.call] {
                let id = index(ref.layer, ref.call)
                if lastUse[id] == step, let b = liveBytes[id] { live -= b; liveBytes[id] = nil }
            }
            if lastUse[me] == -1, let b = liveBytes[me] { live -= b; liveBytes[me] = nil }
        }
        return peak
    }

    /// The most kernel layers on any path from an input to an output.
    static func depth(_ graph: ModelGraph, _ inference: ShapeInference, nestedDepth: [Int: Int]) -> Int {
        let offset = ModelGraph.callOffsets(graph.layers)
        var depthOf = [Int](repeating: 0, count: offset[graph.layers.count])
        for node in graph.executionOrder {
            let layer = graph.layers[node.layer]
            let incoming = layer.calls[node.call].map { depthOf[offset[$0.layer] + $0.call] }.max() ?? 0
            let own = layer.kind.category == .kernel ? 1 : (nestedDepth[node.layer] ?? 0)
            depthOf[offset[node.layer] + node.call] = incoming + own
        }
        return graph.outputs.map { depthOf[offset[$0.layer] + $0.call] }.max() ?? 0
    }
}
