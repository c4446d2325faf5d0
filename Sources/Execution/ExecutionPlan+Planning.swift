import Foundation
import Kernels
import ModelKit

extension ExecutionPlan {
    // MARK: - Building

    /// Why a model cannot be planned (shapes unknown before running); callers fall back to
    /// the `Executor`. A memory limit overrun is an `ExecutionError` instead.
    public struct Unplannable: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The eltwise post-ops equal to `function` (empty for linear), or nil when oneDNN has
    /// no exact equivalent.
    static func eltwise(_ function: ActivationFunction) -> [EltwiseOp]? {
        switch function {
        case .linear: return []
        case .relu: return [.relu(slope: 0)]
        case .relu6: return [.clip(lower: 0, upper: 6)]
        case .sigmoid: return [.logistic]
        case .tanh: return [.tanh]
        case .elu(let alpha): return [.elu(alpha: Float(alpha))]
        case .swish: return [.swish(beta: 1)]
        case .gelu: return [.geluErf]
        case .hardSwish: return [.hardswish]
        case .hardSigmoid(let slope, let offset): return [.linear(scale: Float(slope), shift: Float(offset)), .clip(lower: 0, upper: 1)]
        case .leakyReLU(let slope): return [.relu(slope: Float(slope))]
        case .exponential: return [.exp]
        case .selu: return [.elu(alpha: 1.6732632423543772), .linear(scale: 1.0507009873554805, shift: 0)]
        case .softmax, .softplus, .softsign, .mish, .other: return nil
        }
    }

    /// The eltwise ops an activation node amounts to, or nil when it is not one or oneDNN
    /// has no exact equivalent.
    static func eltwise(layer: Layer) -> [EltwiseOp]? {
        switch layer.kind {
        case let k as ActivationOp: return eltwise(k.function)
        case let k as ReLUOp:
            guard k.threshold == 0 else { return nil }
            if let m = k.maxValue { return k.negativeSlope == 0 ? [.clip(lower: 0, upper: Float(m))] : nil }
            return [.relu(slope: Float(k.negativeSlope))]
        default: return nil
        }
    }

    /// Per-channel scale and shift of an inference batch normalization over the last axis of
    /// `shape` (gamma / sqrt(var + eps), beta - mean * scale), in Double; nil when it is not
    /// of that kind or its weights do not fit.
    static func batchNormAffine(_ k: BatchNormOp, weights: [Tensor]?, shape: [Int]) -> (scale: [Double], shift: [Double])? {
        guard !k.renorm, !k.virtualBatch, k.axis.axes.count == 1,
              let axis = TensorShape(shape).normalizedAxis(k.axis.axes[0]), axis == shape.count - 1,
              let w = weights, w.count == 2 + (k.scale ? 1 : 0) + (k.center ? 1 : 0) else { return nil }
        let c = shape[axis]
        guard w.allSatisfy({ $0.count == c }) else { return nil }
        var i = 0
        let gamma = k.scale ? w[i].data : nil; if k.scale { i += 1 }
        let beta = k.center ? w[i].data : nil; if k.center { i += 1 }
        let mean = w[i].data, variance = w[i + 1].data
        var scale = [Double](repeating: 1, count: c), shift = [Double](repeating: 0, count: c)
        for j in 0..<c {
            let s = Double(gamma?[j] ?? 1) / (Double(variance[j]) + k.epsilon).squareRoot()
            scale[j] = s
            shift[j] = Double(beta?[j] ?? 0) - Double(mean[j]) * s
        }
        return (scale, shift)
    }

    /// Builds the plan for `graph` at `inputShapes` (batch included). Throws `Unplannable`
    /// when a tensor's shape cannot be known before running, an `ExecutionError` when the
    /// plan would need more than `memoryLimit` bytes (nothing large allocated then) or a
    /// layer's weights are missing, a `DNNLError` when oneDNN refuses.
    public static func build(graph: ModelGraph, weights: [String: [Tensor]], inputShapes: [[Int]],
                             backend: DNNLBackend, memoryLimit: Int? = nil) throws -> ExecutionPlan {
        // Padding masks change what recurrent, pooling and attention layers compute; the
        // interpreter carries them (`Executor+Masks.swift`), the plan does not.
        if graph.makesMasks {
            throw Unplannable(description: "padding masks flow through the model")
        }
        if graph.layers.contains(where: { $0.explicitAttentionMask != nil }) {
            throw Unplannable(description: "an attention layer reads an explicit attention mask")
        }
        if graph.layers.contains(where: { $0.kind.handlesText }) {
            throw Unplannable(description: "the model reads or makes strings")
        }
        if graph.layers.contains(where: { !$0.callKinds.isEmpty }) {
            throw Unplannable(description: "a layer computes something else in another call (a reversible embedding's reverse call)")
        }
        var b: Builder
        if let rewrite = ChannelsLastRewrite.make(graph, weights: weights, inputShapes: inputShapes) {
            b = Builder(graph: rewrite.graph, weights: rewrite.weights, backend: backend, prefix: "")
            b.owner = rewrite.owner
            b.original = graph
            b.absorbed = rewrite.absorbed
        } else {
            b = Builder(graph: graph, weights: weights, backend: backend, prefix: "")
        }
        try b.compile(inputShapes: inputShapes)
        let memory = b.memory()
        if let memoryLimit, memory.totalBytes > memoryLimit {
            throw ExecutionError("model \"\(graph.name)\" needs \(memory.totalBytes) bytes for its execution plan "
                + "(weights \(memory.weightBytes), activations \(memory.activationBytes), scratchpad \(memory.scratchpadBytes)), "
                + "above the memory limit of \(memoryLimit) bytes")
        }
        return try materialize(b, inputShapes: inputShapes)
    }

    /// Loads the primitives and allocates the buffers of a compiled builder.
    static func materialize(_ b: Builder, inputShapes: [[Int]]) throws -> ExecutionPlan {
        for load in b.loads { try load() }
        let buffers = b.capacities.map { UnsafeMutableRawPointer.allocate(byteCount: max($0, 1) * 4, alignment: 64) }
        // Steps of added transposes are timed with the node they serve.
        let steps = b.steps.map { step -> Step in
            var s = step
            if let o = b.owner[step.node.layer] { s.node = o }
            return s
        }
        var fused = b.fused.filter { b.owner[$0.key.layer] == nil }
        // A node whose work another does is listed as fused into that one (or into where that one went).
        for (part, into) in b.absorbed { fused[part] = fused[into] ?? b.name(into) }
        return ExecutionPlan(graph: b.original ?? b.graph, inputShapes: inputShapes, memory: b.memory(), fusedInto: fused,
                             stepDescriptions: b.descriptions, steps: steps, buffers: buffers, outputValues: b.outputValues)
    }

    /// A nested model's plan, made when the outer plan loads.
    final class NestedPlan: @unchecked Sendable {
        var plan: ExecutionPlan?
    }

    /// The compiler's state: values, steps, buffers.
    struct Builder {
        typealias Value = ExecutionPlan.Value
        typealias Step = ExecutionPlan.Step
        typealias Op = ExecutionPlan.Op
        typealias Memory = ExecutionPlan.Memory
        typealias Unplannable = ExecutionPlan.Unplannable
        typealias NestedPlan = ExecutionPlan.NestedPlan
        typealias BinaryOp = ExecutionPlan.BinaryOp
        let graph: ModelGraph
        let weights: [String: [Tensor]]
        let backend: DNNLBackend
        /// An Executor for `layer` holding only that layer's weights (and its nested layers'),
        /// so the plan does not keep every weight in the file's layout alive beside the packed
        /// ones.
        func executor(for layer: Layer) -> Executor {
            let path = prefix + layer.name
            let own = weights.filter { $0.key == path || $0.key.hasPrefix(path + "/") }
            return Executor(graph: graph, weights: own, backend: backend, prefix: prefix)
        }

        /// Shapes of every output of every call.
        var shapes: [ValueKey: [Int]] = [:]
        /// Node positions in execution order of the uses of each value.
        var uses: [ValueKey: [Int]] = [:]
        var graphOutputs = Set<ValueKey>()
        var position: [NodeID: Int] = [:]
        /// For each call already compiled, the position at which its step runs.
        var stepPosition: [NodeID: Int] = [:]

        var pending: [(position: Int, spec: StepSpec)] = []
        var fused: [NodeID: String] = [:]
        var loads: [() throws -> Void] = []
        var primitives: [DNNLPrimitive] = []
        var tableBytes = 0
        /// Convolutions that take a 2-D zero padding's input directly: the padding node, its
        /// input, and the padding (before, after along H and W).
        var padFolds: [NodeID: (pad: NodeID, input: ValueKey, before: [Int], after: [Int])] = [:]
        /// Nodes computed at plan time (`foldConstants`), with their outputs.
        var folded: [NodeID: [Tensor]] = [:]

        // Results of `compile`.
        var steps: [Step] = []
        var descriptions: [String] = []
        var capacities: [Int] = []
        var outputValues: [Value] = []

        struct ValueKey: Hashable { var node: NodeID; var tensor: Int }

        struct StepSpec {
            var op: Op
            var node: NodeID
            var inputs: [ValueKey]
            var outputs: [ValueKey]
            /// The input whose buffer the output takes over (a `sum` post-op's addend).
            var inPlace: ValueKey?
            var description: String
        }

        /// Path prefix of this graph's layers in `weights` (`encoder/` for a nested model).
        let prefix: String
        /// When the graph is a channels-last rewrite: the graph as read, and the node each
        /// added transpose is timed with.
        var original: ModelGraph?
        var owner: [Int: NodeID] = [:]
        var absorbed: [NodeID: NodeID] = [:]
        /// Bytes of nested models' plans.
        var nestedMemory = Memory(weightBytes: 0, activationBytes: 0, scratchpadBytes: 0)

        init(graph: ModelGraph, weights: [String: [Tensor]], backend: DNNLBackend, prefix: String) {
            self.graph = graph
            self.weights = weights
            self.backend = backend
            self.prefix = prefix
        }

        func key(_ ref: TensorRef) -> ValueKey { ValueKey(node: NodeID(layer: ref.layer, call: ref.call), tensor: ref.tensor) }

        func name(_ node: NodeID) -> String {
            let l = graph.layers[node.layer]
            return node.call == 0 ? l.name : "\(l.name) (call \(node.call + 1))"
        }

        func memory() -> Memory {
            Memory(weightBytes: primitives.reduce(0) { $0 + $1.weightBytes } + tableBytes + nestedMemory.weightBytes,
                   activationBytes: capacities.reduce(0, +) * 4 + nestedMemory.activationBytes,
                   scratchpadBytes: max(primitives.map(\.scratchpadBytes).max() ?? 0, nestedMemory.scratchpadBytes))
        }

        mutating func compile(inputShapes: [[Int]]) throws {
            guard inputShapes.count == graph.inputs.count else {
                throw ExecutionError("model \"\(graph.name)\" takes \(graph.inputs.count) input(s), given \(inputShapes.count) shape(s)")
            }
            let inference = ShapeInference.run(graph, inputShapes: inputShapes.map { TensorShape($0) })
            for (p, node) in graph.executionOrder.enumerated() {
                position[node] = p
                guard let outs = inference.outputs[node.layer][node.call] else {
                    throw Unplannable(description: "the output shape of layer \"\(name(node))\" is not known before running")
                }
                for (t, s) in outs.enumerated() {
                    guard s.dims.allSatisfy({ $0 != nil }) else {
                        throw Unplannable(description: "layer \"\(name(node))\" has an output of open shape \(s)")
                    }
                    shapes[ValueKey(node: node, tensor: t)] = s.dims.map { $0! }
                }
                for ref in graph.layers[node.layer].calls[node.call] { uses[key(ref), default: []].append(p) }
            }
            for ref in graph.outputs { graphOutputs.insert(key(ref)) }
            for (i, ref) in graph.inputs.enumerated() where shapes[key(ref)] != inputShapes[i] {
                throw Unplannable(description: "input \(i + 1) shape \(String(describing: shapes[key(ref)])) differs from \(inputShapes[i])")
            }

            foldConstants(inference)
            // Operations no output depends on (how a padding mask was computed) get no step.
            let dead = graph.deadOperations
            for (p, node) in graph.executionOrder.enumerated() where stepPosition[node] == nil {
                if dead.contains(node.layer) {
                    stepPosition[node] = p
                    continue
                }
                if let values = folded[node] {
                    // Computed once, here: the step only puts the numbers in place (when read).
                    let outs = values.indices.map { ValueKey(node: node, tensor: $0) }
                    let readByRunningStep = outs.contains { v in
                        graphOutputs.contains(v) || (uses[v] ?? []).contains { folded[graph.executionOrder[$0]] == nil }
                    }
                    if readByRunningStep {
                        tableBytes += values.reduce(0) { $0 + $1.count * 4 }
                        add(StepSpec(op: .constant(values), node: node, inputs: [], outputs: outs, inPlace: nil,
                                     description: "\(name(node)): folded at plan time"), at: p)
                    } else {
                        stepPosition[node] = p
                    }
                    continue
                }
                try compileNode(node, at: p)
            }
            try assignBuffers()
        }

        /// Evaluates, once, the function nodes whose results do not depend on the input values:
        /// shapes of tensors, arithmetic on them, constants and what is computed from
        /// constants only (an exporter's anchor grids, reshape targets). `folded` holds them.
        mutating func foldConstants(_ inference: ShapeInference) {
            for node in graph.executionOrder {
                let layer = graph.layers[node.layer]
                guard let f = layer.kind as? TensorFunctionOp, !unread(node), let outs = inference.outputs[node.layer][node.call] else { continue }
                let shapesOut = outs.map { $0.dims.compactMap { $0 } }
                guard zip(shapesOut, outs).allSatisfy({ $0.count == $1.dims.count }),
                      shapesOut.allSatisfy({ $0.reduce(1, *) <= 1 << 22 }) else { continue }
                // Numbers shape inference already knows.
                if let known = inference.values[node], known.count == outs.count,
                   let tensors = Optional(zip(known, shapesOut).compactMap({ v, s -> Tensor? in
                       guard let v, v.shape == s else { return nil }
                       return v.tensor()
                   })), tensors.count == outs.count {
                    folded[node] = tensors
                    continue
                }
                // Functions of folded values only.
                let ins = args(node)
                guard f.function != "shape", f.function != "size", ins.allSatisfy({ folded[$0.node] != nil }) else { continue }
                let argTensors = ins.map { folded[$0.node]![$0.tensor] }
                if let out = try? executor(for: layer).runLayer(layer, argTensors), out.count == outs.count,
                   zip(out, shapesOut).allSatisfy({ $0.shape == $1 }) {
                    folded[node] = out
                }
            }
        }

        /// The single use of `v` (its node), or nil when it has several, none, or is a model output.
        func soleUse(_ v: ValueKey) -> NodeID? {
            guard !graphOutputs.contains(v), let u = uses[v], u.count == 1 else { return nil }
            let node = graph.executionOrder[u[0]]
            return stepPosition[node] == nil ? node : nil
        }

        func args(_ node: NodeID) -> [ValueKey] { graph.layers[node.layer].calls[node.call].map(key) }

        mutating func add(_ spec: StepSpec, at p: Int) {
            pending.append((p, spec))
            stepPosition[spec.node] = p
        }

        mutating func fallback(_ node: NodeID, at p: Int) {
            if let fold = padFolds.removeValue(forKey: node) {
                // The convolution could not take the padding: pad after all.
                fused[fold.pad] = nil
                add(StepSpec(op: .zeroPad(before: fold.before, after: fold.after), node: fold.pad, inputs: [fold.input],
                             outputs: [ValueKey(node: fold.pad, tensor: 0)], inPlace: nil,
                             description: "\(name(fold.pad)): zero padding"), at: p)
            }
            let layer = graph.layers[node.layer]
            let outs = (shapes.keys.filter { $0.node == node && $0.tensor >= 0 }).sorted { $0.tensor < $1.tensor }
            add(StepSpec(op: .fallback(layer, executor(for: layer)), node: node, inputs: args(node), outputs: outs, inPlace: nil,
                         description: "\(name(node)): Executor (\(layer.className))"), at: p)
        }
    }
}
