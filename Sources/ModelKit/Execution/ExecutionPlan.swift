import Foundation
import Kernels

/// A model's forward pass compiled once for fixed input shapes and run many times on oneDNN.
///
/// Built by `ExecutionPlan.build`:
/// - Conv2D, DepthwiseConv2D (a grouped convolution) and Dense become oneDNN primitives made
///   once, their weights reordered once into the layout the primitive prefers. Activations
///   are NHWC float32 throughout (row-major for Dense).
/// - A BatchNormalization whose input is such a layer's only use (linear activation, BN over
///   the last axis, inference statistics) is folded into its kernel and bias (in Double).
/// - Activations that oneDNN computes exactly (the layer's own, or a following Activation /
///   ReLU / LeakyReLU / ELU that is the only use) become eltwise post-ops; a following
///   two-input Add whose other operand is not used afterwards becomes a `sum` post-op that
///   writes into that operand's buffer (post-ops run in order: sum, then a later ReLU).
/// - Pooling runs on oneDNN; standalone BatchNormalization (last axis), element-wise merges
///   of equal shapes and activations run as buffer loops or oneDNN eltwise primitives;
///   anything else runs through `Executor.runLayer` on tensors copied from and to the
///   plan's buffers (nested models included), so the plan runs every layer the Executor runs.
/// - Every intermediate tensor lives in a buffer planned by liveness: a buffer is reused
///   once the last step reading its tensor has run.
///
/// Before anything large is allocated the plan adds up its bytes (packed weights,
/// activation buffers, the largest scratchpad) and refuses to go over `memoryLimit`.
///
/// Run it from one thread at a time (a lock serialises runs: the buffers are the plan's).
public final class ExecutionPlan: ForwardRunner, @unchecked Sendable {
    /// Bytes the plan holds (or, before building, would hold).
    public struct Memory: Sendable, Equatable {
        /// Packed weights and biases owned by oneDNN primitives, plus per-channel tables.
        public var weightBytes: Int
        /// The activation buffers planned by liveness (graph inputs and outputs included).
        public var activationBytes: Int
        /// The scratchpad buffer shared by the primitives (the largest one asks for).
        public var scratchpadBytes: Int
        public var totalBytes: Int { weightBytes + activationBytes + scratchpadBytes }
    }

    public let graph: ModelGraph
    /// The batch-inclusive input shapes the plan was built for.
    public let inputShapes: [[Int]]
    public let memory: Memory
    public let fusedInto: [NodeID: String]
    /// One line per step, in run order (`conv1_conv: convolution + BatchNormalization + relu`,
    /// `flatten: Executor`), for tests and debugging.
    public let stepDescriptions: [String]
    public let threadsUsed: Int
    public var backendName: String { "ExecutionPlan (oneDNN)" }

    private let steps: [Step]
    private let buffers: [UnsafeMutableRawPointer]
    private let scratchpad: UnsafeMutableRawPointer?
    private let outputValues: [Value]
    private let lock = NSLock()

    deinit {
        for b in buffers { b.deallocate() }
        scratchpad?.deallocate()
    }

    private init(graph: ModelGraph, inputShapes: [[Int]], memory: Memory, fusedInto: [NodeID: String],
                 stepDescriptions: [String], steps: [Step], buffers: [UnsafeMutableRawPointer], outputValues: [Value]) {
        self.scratchpad = memory.scratchpadBytes > 0 ? UnsafeMutableRawPointer.allocate(byteCount: memory.scratchpadBytes, alignment: 64) : nil
        self.graph = graph
        self.inputShapes = inputShapes
        self.memory = memory
        self.fusedInto = fusedInto
        self.stepDescriptions = stepDescriptions
        self.steps = steps
        self.buffers = buffers
        self.outputValues = outputValues
        self.threadsUsed = DNNLBackend.threadCount
    }

    // MARK: - Steps

    /// One tensor in the plan: its buffer and shape.
    struct Value {
        var buffer: Int
        var shape: [Int]
        var count: Int { shape.reduce(1, *) }
    }

    enum BinaryOp { case add, subtract, multiply, maximum, minimum, average }

    enum Op {
        case input(Int)
        case primitive(DNNLPrimitive)
        /// A primitive run on its input's buffer in place (softmax after a Dense).
        case inPlace(DNNLPrimitive)
        case zeroPad(before: [Int], after: [Int])
        /// Concatenation: `outer` rows, each the inputs' blocks (floats) side by side.
        case concat(outer: Int, blocks: [Int])
        case batchNorm(scale: [Float], shift: [Float])
        case binary(BinaryOp)
        case copy
        case fallback(Layer, Executor)
        /// A nested model run by its own plan on copies of the inputs.
        case nested(Layer, NestedPlan, Executor)
    }

    struct Step {
        var op: Op
        var node: NodeID
        var inputs: [Value]
        var outputs: [Value]
    }

    // MARK: - Running

    public func run(_ inputs: [Tensor]) throws -> [Tensor] { try run(inputs, layerTimer: nil) }

    public func run(_ inputs: [Tensor], layerTimer: ((NodeID, Duration) -> Void)?) throws -> [Tensor] {
        guard inputs.count == inputShapes.count else {
            throw ExecutionError("model \"\(graph.name)\" takes \(inputShapes.count) input(s), given \(inputs.count)")
        }
        for (i, (t, s)) in zip(inputs, inputShapes).enumerated() where t.shape != s {
            throw ExecutionError("model \"\(graph.name)\": input \(i + 1) has shape \(t.shape); the plan was built for \(s)")
        }
        lock.lock()
        defer { lock.unlock() }
        if let layerTimer {
            // Consecutive steps of one call (a Dense and its softmax) are reported as one time.
            let clock = ContinuousClock()
            var open: (node: NodeID, time: Duration)?
            for step in steps {
                if isInput(step) { try execute(step, inputs); continue }
                let start = clock.now
                try execute(step, inputs)
                let d = clock.now - start
                if let o = open, o.node == step.node {
                    open = (o.node, o.time + d)
                } else {
                    if let o = open { layerTimer(o.node, o.time) }
                    open = (step.node, d)
                }
            }
            if let o = open { layerTimer(o.node, o.time) }
        } else {
            for step in steps { try execute(step, inputs) }
        }
        return outputValues.map { v in
            let p = pointer(v)
            return Tensor(shape: v.shape, data: Array(UnsafeBufferPointer(start: p, count: v.count)))
        }
    }

    private func isInput(_ step: Step) -> Bool { if case .input = step.op { return true } else { return false } }

    private func pointer(_ v: Value) -> UnsafeMutablePointer<Float> { buffers[v.buffer].assumingMemoryBound(to: Float.self) }

    private func execute(_ step: Step, _ given: [Tensor]) throws {
        switch step.op {
        case .input(let i):
            let out = pointer(step.outputs[0])
            given[i].data.withUnsafeBufferPointer { out.update(from: $0.baseAddress!, count: $0.count) }
        case .primitive(let p):
            try p.execute(src: pointer(step.inputs[0]), dst: pointer(step.outputs[0]), scratchpad: scratchpad)
        case .inPlace(let p):
            try p.execute(src: pointer(step.inputs[0]), dst: pointer(step.inputs[0]), scratchpad: scratchpad)
        case .zeroPad(let before, let after):
            let xs = step.inputs[0].shape, ys = step.outputs[0].shape
            let x = pointer(step.inputs[0]), y = pointer(step.outputs[0])
            let (n, h, w, c) = (xs[0], xs[1], xs[2], xs[3])
            let (oh, ow) = (ys[1], ys[2])
            _ = after
            y.update(repeating: 0, count: step.outputs[0].count)
            let row = w &* c
            for b in 0..<n {
                for r in 0..<h {
                    let src = x + (b &* h &+ r) &* row
                    let dst = y + ((b &* oh &+ r &+ before[0]) &* ow &+ before[1]) &* c
                    dst.update(from: src, count: row)
                }
            }
        case .batchNorm(let scale, let shift):
            let x = pointer(step.inputs[0]), y = pointer(step.outputs[0])
            let c = scale.count, rows = step.inputs[0].count / c
            scale.withUnsafeBufferPointer { sp in
                shift.withUnsafeBufferPointer { hp in
                    let s = sp.baseAddress!, h = hp.baseAddress!
                    for r in 0..<rows {
                        let xr = x + r &* c, yr = y + r &* c
                        for j in 0..<c { yr[j] = xr[j] * s[j] + h[j] }
                    }
                }
            }
        case .binary(let op):
            binary(op, step)
        case .concat(let outer, let blocks):
            let y = pointer(step.outputs[0])
            let row = blocks.reduce(0, +)
            var start = 0
            for (i, block) in blocks.enumerated() {
                let x = pointer(step.inputs[i])
                for o in 0..<outer { (y + (o &* row &+ start)).update(from: x + o &* block, count: block) }
                start &+= block
            }
        case .copy:
            let x = pointer(step.inputs[0]), y = pointer(step.outputs[0])
            if x != y { y.update(from: x, count: step.outputs[0].count) }
        case .fallback(let layer, let executor), .nested(let layer, _, let executor):
            let args = step.inputs.map { v in
                Tensor(shape: v.shape, data: Array(UnsafeBufferPointer(start: pointer(v), count: v.count)))
            }
            let outs: [Tensor]
            do {
                if case .nested(_, let nested, _) = step.op, let plan = nested.plan {
                    outs = try plan.run(args, layerTimer: nil)
                } else {
                    outs = try executor.runLayer(layer, args)
                }
            } catch let e as ExecutionError {
                throw e
            } catch {
                throw executor.fail(layer, "\(error)")
            }
            // A step nothing reads may give no output (the Executor skips the mask Keras 3
            // records for an Embedding with mask_zero); its planned buffer stays unused.
            if outs.isEmpty, executor.isUnconsumed(layer) { return }
            guard outs.count == step.outputs.count else {
                throw executor.fail(layer, "gave \(outs.count) outputs; the plan expected \(step.outputs.count)")
            }
            for (t, v) in zip(outs, step.outputs) {
                guard t.shape == v.shape else {
                    throw executor.fail(layer, "gave an output of shape \(t.shape); shape inference said \(v.shape)")
                }
                let out = pointer(v)
                t.data.withUnsafeBufferPointer { out.update(from: $0.baseAddress!, count: $0.count) }
            }
        }
    }

    private func binary(_ op: BinaryOp, _ step: Step) {
        let y = pointer(step.outputs[0])
        let n = step.outputs[0].count
        let a = pointer(step.inputs[0])
        if a != y { y.update(from: a, count: n) }
        for v in step.inputs.dropFirst() {
            let b = pointer(v)
            switch op {
            case .add, .average: for i in 0..<n { y[i] += b[i] }
            case .subtract: for i in 0..<n { y[i] -= b[i] }
            case .multiply: for i in 0..<n { y[i] *= b[i] }
            case .maximum: for i in 0..<n { y[i] = max(y[i], b[i]) }
            case .minimum: for i in 0..<n { y[i] = min(y[i], b[i]) }
            }
        }
        if op == .average {
            let k = Float(step.inputs.count)
            for i in 0..<n { y[i] /= k }
        }
    }

    // MARK: - Building

    /// Why a model cannot be planned (shapes unknown before running); callers fall back to
    /// the `Executor`. A memory limit overrun is an `ExecutionError` instead.
    public struct Unplannable: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The eltwise post-ops equal to Keras activation `name` (empty for linear), or nil when
    /// oneDNN has no exact equivalent.
    static func eltwise(activation name: String?, dialect: String) -> [EltwiseOp]? {
        switch name {
        case nil, "linear": return []
        case "relu": return [.relu(slope: 0)]
        case "relu6": return [.clip(lower: 0, upper: 6)]
        case "sigmoid": return [.logistic]
        case "tanh": return [.tanh]
        case "elu": return [.elu(alpha: 1)]
        case "swish", "silu": return [.swish(beta: 1)]
        case "gelu": return [.geluErf]
        case "hard_swish", "hard_silu": return [.hardswish]
        case "hard_sigmoid":
            return dialect == "keras2" ? [.linear(scale: 0.2, shift: 0.5), .clip(lower: 0, upper: 1)]
                : [.linear(scale: 1.0 / 6, shift: 0.5), .clip(lower: 0, upper: 1)]
        case "leaky_relu": return [.relu(slope: 0.2)]
        case "exponential": return [.exp]
        case "selu": return [.elu(alpha: 1.6732632423543772), .linear(scale: 1.0507009873554805, shift: 0)]
        default: return nil
        }
    }

    /// The eltwise ops an activation layer amounts to, or nil when it is not one or oneDNN
    /// has no exact equivalent.
    static func eltwise(layer: Layer, dialect: String) -> [EltwiseOp]? {
        switch layer.kind {
        case let k as Activation: return eltwise(activation: k.activation, dialect: dialect)
        case let k as ReLU:
            guard k.threshold == 0 else { return nil }
            if let m = k.maxValue { return k.negativeSlope == 0 ? [.clip(lower: 0, upper: Float(m))] : nil }
            return [.relu(slope: Float(k.negativeSlope))]
        case let k as LeakyReLU: return [.relu(slope: Float(k.negativeSlope))]
        case let k as ELU: return [.elu(alpha: Float(k.alpha))]
        default: return nil
        }
    }

    /// Per-channel scale and shift of an inference BatchNormalization over the last axis of
    /// `shape` (gamma / sqrt(var + eps), beta - mean * scale), in Double; nil when it is not
    /// of that kind or its weights do not fit.
    static func batchNormAffine(_ k: BatchNormalization, weights: [Tensor]?, shape: [Int]) -> (scale: [Double], shift: [Double])? {
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
        var b = Builder(graph: graph, weights: weights, backend: backend, prefix: "")
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
        return ExecutionPlan(graph: b.graph, inputShapes: inputShapes, memory: b.memory(), fusedInto: b.fused,
                             stepDescriptions: b.descriptions, steps: b.steps, buffers: buffers, outputValues: b.outputValues)
    }

    /// A nested model's plan, made when the outer plan loads.
    final class NestedPlan: @unchecked Sendable {
        var plan: ExecutionPlan?
    }

    /// The compiler's state: values, steps, buffers.
    struct Builder {
        let graph: ModelGraph
        let weights: [String: [Tensor]]
        let backend: DNNLBackend
        /// An Executor for `layer` holding only that layer's weights (and its nested layers'),
        /// so the plan does not keep every Keras-layout weight alive beside the packed ones.
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
        /// Convolutions that take a ZeroPadding2D's input directly: the padding node, its
        /// input, and the padding (before, after along H and W).
        var padFolds: [NodeID: (pad: NodeID, input: ValueKey, before: [Int], after: [Int])] = [:]

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

            for (p, node) in graph.executionOrder.enumerated() where stepPosition[node] == nil {
                try compileNode(node, at: p)
            }
            try assignBuffers()
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

        mutating func compileNode(_ node: NodeID, at p: Int) throws {
            let layer = graph.layers[node.layer]
            let ins = args(node)
            let out = ValueKey(node: node, tensor: 0)
            let dialect = graph.source.dialect
            func simple(_ op: Op, _ what: String) {
                add(StepSpec(op: op, node: node, inputs: ins, outputs: [out], inPlace: nil, description: "\(name(node)): \(what)"), at: p)
            }
            switch layer.kind {
            case is InputLayer:
                if let i = graph.inputs.firstIndex(where: { NodeID(layer: $0.layer, call: $0.call) == node }) {
                    add(StepSpec(op: .input(i), node: node, inputs: [], outputs: [out], inPlace: nil, description: "\(name(node)): input \(i + 1)"), at: p)
                } else if ins.count == 1 {
                    simple(.copy, "copy")
                } else {
                    throw ExecutionError("input layer \"\(layer.name)\" was given no tensor")
                }
                return
            case is Conv2D, is DepthwiseConv2D, is Dense, is SeparableConv2D:
                if try compileKernelChain(node, at: p) { return }
            case let k as NestedModel:
                // Compiled recursively (weights under this layer's path); loaded with the outer plan.
                if ins.count == k.graph.inputs.count, ins.allSatisfy({ shapes[$0] != nil }) {
                    var sub = Builder(graph: k.graph, weights: weights, backend: backend, prefix: prefix + layer.name + "/")
                    if (try? sub.compile(inputShapes: ins.map { shapes[$0]! })) != nil {
                        let subOuts = sub.outputValues.map(\.shape)
                        let outs = (shapes.keys.filter { $0.node == node && $0.tensor >= 0 }).sorted { $0.tensor < $1.tensor }
                        if subOuts == outs.map({ shapes[$0]! }) {
                            let m = sub.memory()
                            nestedMemory.weightBytes += m.weightBytes
                            nestedMemory.activationBytes += m.activationBytes
                            nestedMemory.scratchpadBytes = max(nestedMemory.scratchpadBytes, m.scratchpadBytes)
                            let box = NestedPlan()
                            let shapesIn = ins.map { shapes[$0]! }
                            loads.append { box.plan = try ExecutionPlan.materialize(sub, inputShapes: shapesIn) }
                            add(StepSpec(op: .nested(layer, box, executor(for: layer)), node: node, inputs: ins, outputs: outs, inPlace: nil,
                                         description: "\(name(node)): nested plan (\(sub.descriptions.count) steps)"), at: p)
                            return
                        }
                    }
                }
            case let k as ZeroPadding2D:
                if ins.count == 1, let x = shapes[ins[0]], x.count == 4, !k.padding.layout.channelsFirst, k.padding.amounts.pairs.count == 2 {
                    let before = k.padding.amounts.pairs.map(\.before), after = k.padding.amounts.pairs.map(\.after)
                    // Folded into a following `valid` convolution that is its only use.
                    if let next = soleUse(out) {
                        let nl = graph.layers[next.layer]
                        let valid = (nl.kind as? Conv2D)?.convolution.geometry.padding == "valid"
                            || (nl.kind as? DepthwiseConv2D)?.convolution.geometry.padding == "valid"
                        if valid, args(next).count == 1 {
                            padFolds[next] = (node, ins[0], before, after)
                            fused[node] = name(next)
                            stepPosition[node] = position[next]!
                            return
                        }
                    }
                    simple(.zeroPad(before: before, after: after), "zero padding")
                    return
                }
            case let k as Concatenate:
                if !ins.isEmpty, let first = shapes[ins[0]], let y = shapes[out], let axis = TensorShape(first).normalizedAxis(k.axis),
                   ins.allSatisfy({ v in
                       guard let s = shapes[v], s.count == first.count else { return false }
                       return (0..<s.count).allSatisfy { $0 == axis || s[$0] == first[$0] }
                   }), y.count == first.count, y[axis] == ins.reduce(0, { $0 + shapes[$1]![axis] }) {
                    let outer = first[..<axis].reduce(1, *), inner = first[(axis + 1)...].reduce(1, *)
                    simple(.concat(outer: outer, blocks: ins.map { shapes[$0]![axis] * inner }), "concatenate (row copies)")
                    return
                }
            case let k as GlobalAveragePooling2D:
                if try compileGlobalPool(node, k.reduction, max: false, at: p) { return }
            case let k as GlobalMaxPooling2D:
                if try compileGlobalPool(node, k.reduction, max: true, at: p) { return }
            case let k as Softmax:
                if ins.count == 1, let s = shapes[out], k.axes.count == 1, let axis = TensorShape(s).normalizedAxis(k.axes[0]),
                   let prim = try? DNNLPrimitive.softmax(backend, shape: s, axis: axis) {
                    primitives.append(prim)
                    loads.append { try prim.load() }
                    simple(.primitive(prim), "softmax")
                    return
                }
            case let k as MaxPooling2D:
                if try compilePool(node, k.window, max: true, at: p) { return }
            case let k as AveragePooling2D:
                if try compilePool(node, k.window, max: false, at: p) { return }
            case let k as BatchNormalization:
                if ins.count == 1, let s = shapes[ins[0]],
                   let (scale, shift) = ExecutionPlan.batchNormAffine(k, weights: weights[prefix + layer.name], shape: s) {
                    tableBytes += scale.count * 8
                    simple(.batchNorm(scale: scale.map(Float.init), shift: shift.map(Float.init)), "BatchNormalization (per channel)")
                    return
                }
            case is Add, is Subtract, is Multiply, is Maximum, is Minimum, is Average:
                let op: BinaryOp = layer.kind is Add ? .add : layer.kind is Subtract ? .subtract : layer.kind is Multiply ? .multiply
                    : layer.kind is Maximum ? .maximum : layer.kind is Minimum ? .minimum : .average
                if ins.count >= 1, (op != .subtract || ins.count == 2), ins.allSatisfy({ shapes[$0] == shapes[out] }) {
                    simple(.binary(op), "\(layer.className) (buffer loop)")
                    return
                }
            case is Dropout, is SpatialDropout1D, is SpatialDropout2D, is SpatialDropout3D, is GaussianNoise,
                 is GaussianDropout, is AlphaDropout, is Identity, is ActivityRegularization, is Reshape:
                if ins.count == 1, shapes[ins[0]].map({ $0.reduce(1, *) }) == shapes[out].map({ $0.reduce(1, *) }) {
                    simple(.copy, "copy")
                    return
                }
            case let k as Flatten:
                if ins.count == 1, !(k.channelsFirst && (shapes[ins[0]]?.count ?? 0) > 2),
                   shapes[ins[0]].map({ $0.reduce(1, *) }) == shapes[out].map({ $0.reduce(1, *) }) {
                    simple(.copy, "copy")
                    return
                }
            default:
                if let ops = ExecutionPlan.eltwise(layer: layer, dialect: dialect), ins.count == 1, let s = shapes[out], ops.count == 1 {
                    let prim = try DNNLPrimitive.eltwise(backend, count: s.reduce(1, *), op: ops[0])
                    primitives.append(prim)
                    loads.append { try prim.load() }
                    simple(.primitive(prim), "eltwise \(ops[0])")
                    return
                }
            }
            fallback(node, at: p)
        }

        mutating func compileGlobalPool(_ node: NodeID, _ r: GlobalPoolingReduction, max: Bool, at p: Int) throws -> Bool {
            let ins = args(node)
            guard ins.count == 1, let x = shapes[ins[0]], x.count == 4, !r.layout.channelsFirst, x.allSatisfy({ $0 > 0 }) else { return false }
            // (n, 1, 1, c) and (n, c) are the same bytes.
            let window = Window2D(kernel: [x[1], x[2]], strides: [1, 1], padding: .valid)
            let prim = try DNNLPrimitive.pooling(backend, input: x, output: [x[0], 1, 1, x[3]], window: window, max: max)
            primitives.append(prim)
            loads.append { try prim.load() }
            add(StepSpec(op: .primitive(prim), node: node, inputs: ins, outputs: [ValueKey(node: node, tensor: 0)], inPlace: nil,
                         description: "\(name(node)): global \(max ? "max" : "average") pooling"), at: p)
            return true
        }

        mutating func compilePool(_ node: NodeID, _ w: PoolingWindow, max: Bool, at p: Int) throws -> Bool {
            let ins = args(node)
            guard ins.count == 1, let x = shapes[ins[0]], x.count == 4, let y = shapes[ValueKey(node: node, tensor: 0)],
                  !w.layout.channelsFirst, w.poolSize.count == 2, let pad = WindowPadding(rawValue: w.padding),
                  x.allSatisfy({ $0 > 0 }), y.allSatisfy({ $0 > 0 }) else { return false }
            let window = Window2D(kernel: w.poolSize, strides: w.strides, padding: pad)
            guard window.geometry(axis: 0, length: x[1]).out == y[1], window.geometry(axis: 1, length: x[2]).out == y[2] else { return false }
            let prim = try DNNLPrimitive.pooling(backend, input: x, output: y, window: window, max: max)
            primitives.append(prim)
            loads.append { try prim.load() }
            add(StepSpec(op: .primitive(prim), node: node, inputs: ins, outputs: [ValueKey(node: node, tensor: 0)], inPlace: nil,
                         description: "\(name(node)): \(max ? "max" : "average") pooling"), at: p)
            return true
        }

        /// Conv2D / DepthwiseConv2D / Dense and what can be fused after it. False when the
        /// layer itself cannot be compiled (it then falls back).
        mutating func compileKernelChain(_ node: NodeID, at p: Int) throws -> Bool {
            let layer = graph.layers[node.layer]
            let dialect = graph.source.dialect
            let padFold = padFolds[node]
            let ins = padFold.map { [$0.input] } ?? args(node)
            guard ins.count == 1, let x = shapes[ins[0]], let y0 = shapes[ValueKey(node: node, tensor: 0)],
                  x.allSatisfy({ $0 > 0 }), y0.allSatisfy({ $0 > 0 }) else { return false }
            let w = weights[prefix + layer.name]
            // What the layer is, as a primitive factory and its kernel.
            enum Kind { case conv(Window2D, groups: Int, kernelShape: [Int]), dense(k: Int, units: Int) }
            let kind: Kind
            let useBias: Bool
            let activation: String?
            // SeparableConv2D: a depthwise primitive into a buffer of its own, then the
            // pointwise convolution, which takes the fusions.
            var separable: (window: Window2D, kernelShape: [Int], groups: Int, shape: [Int])?
            switch layer.kind {
            case let k as SeparableConv2D:
                let c = k.convolution
                guard padFold == nil, c.geometry.rank == 2, !c.geometry.channelsFirst, x.count == 4,
                      let pad = WindowPadding(rawValue: c.geometry.padding),
                      let w, w.count == (c.useBias ? 3 : 2), w[0].shape.count == 4, w[1].shape.count == 4 else { return false }
                let d = w[0].shape
                let window = Window2D(kernel: c.geometry.kernelSize, strides: c.geometry.strides, dilation: c.geometry.dilation, padding: pad)
                let (oh, ow) = (window.geometry(axis: 0, length: x[1]).out, window.geometry(axis: 1, length: x[2]).out)
                guard d[2] == x[3], oh == y0[1], ow == y0[2], w[1].shape[2] == d[2] * d[3] else { return false }
                separable = (window, [d[0], d[1], 1, d[2] * d[3]], d[2], [x[0], oh, ow, d[2] * d[3]])
                kind = .conv(Window2D(kernel: [1, 1], strides: [1, 1], padding: .valid), groups: 1, kernelShape: w[1].shape)
                useBias = c.useBias; activation = c.activation
            case let k as Conv2D:
                let c = k.convolution
                guard c.loraRank == nil, c.geometry.rank == 2, !c.geometry.channelsFirst, x.count == 4,
                      let pad = WindowPadding(rawValue: c.geometry.padding),
                      let w, w.count == (c.useBias ? 2 : 1), w[0].shape.count == 4 else { return false }
                kind = .conv(Window2D(kernel: c.geometry.kernelSize, strides: c.geometry.strides, dilation: c.geometry.dilation, padding: pad),
                             groups: c.groups, kernelShape: w[0].shape)
                useBias = c.useBias; activation = c.activation
            case let k as DepthwiseConv2D:
                let c = k.convolution
                guard c.geometry.rank == 2, !c.geometry.channelsFirst, x.count == 4,
                      let pad = WindowPadding(rawValue: c.geometry.padding),
                      let w, w.count == (c.useBias ? 2 : 1), w[0].shape.count == 4 else { return false }
                let s = w[0].shape
                kind = .conv(Window2D(kernel: c.geometry.kernelSize, strides: c.geometry.strides, dilation: c.geometry.dilation, padding: pad),
                             groups: s[2], kernelShape: [s[0], s[1], 1, s[2] * s[3]])
                useBias = c.useBias; activation = c.activation
            case let k as Dense:
                guard k.loraRank == nil, let w, w.count == (k.useBias ? 2 : 1), w[0].shape.count == 2,
                      x.last == w[0].shape[0] else { return false }
                kind = .dense(k: w[0].shape[0], units: w[0].shape[1])
                useBias = k.useBias; activation = k.activation
            default:
                return false
            }
            // Softmax runs as its own primitive after the kernel, in place; nothing fuses then.
            let softmax = activation == "softmax" || activation == "softmax_v2"
            guard let own = softmax ? [] : ExecutionPlan.eltwise(activation: activation, dialect: dialect), let w else { return false }
            var explicitPadding: (before: [Int], after: [Int])?
            let xMain = separable?.shape ?? x
            if case .conv(let window, _, let ks) = kind {
                if let f = padFold {
                    explicitPadding = (f.before, f.after)
                    let padded = [xMain[1] + f.before[0] + f.after[0], xMain[2] + f.before[1] + f.after[1]]
                    guard window.geometry(axis: 0, length: padded[0]).out == y0[1], window.geometry(axis: 1, length: padded[1]).out == y0[2],
                          y0[3] == ks[3] else { return false }
                } else {
                    guard window.geometry(axis: 0, length: xMain[1]).out == y0[1], window.geometry(axis: 1, length: xMain[2]).out == y0[2],
                          y0[3] == ks[3] else { return false }
                }
            }
            var softmaxPrimitive: DNNLPrimitive?
            if softmax {
                guard let prim = try? DNNLPrimitive.softmax(backend, shape: y0, axis: y0.count - 1) else { return false }
                softmaxPrimitive = prim
            }
            let channels = y0.last!

            // Fuse what follows.
            var postOps = own.map(PostOp.eltwise)
            var cur = ValueKey(node: node, tensor: 0)
            var folds: [(scale: [Double], shift: [Double])] = []
            var absorbed: [NodeID] = []
            var addend: ValueKey?
            var at = p
            var parts: [String] = []
            while !softmax, let next = soleUse(cur) {
                let nl = graph.layers[next.layer]
                let nextOut = ValueKey(node: next, tensor: 0)
                guard shapes[nextOut] == y0, args(next).filter({ $0 == cur }).count == 1 else { break }
                if let k = nl.kind as? BatchNormalization, postOps.isEmpty, args(next).count == 1,
                   let affine = ExecutionPlan.batchNormAffine(k, weights: weights[prefix + nl.name], shape: y0) {
                    folds.append(affine)
                    parts.append("BatchNormalization folded")
                } else if let ops = ExecutionPlan.eltwise(layer: nl, dialect: dialect), args(next).count == 1 {
                    postOps += ops.map(PostOp.eltwise)
                    parts.append(nl.className)
                } else if nl.kind is Add, addend == nil, args(next).count == 2,
                          let other = args(next).first(where: { $0 != cur }), other != ins[0], shapes[other] == y0,
                          !graphOutputs.contains(other), graph.executionOrder[uses[other]!.max()!] == next,
                          uses[other]!.filter({ graph.executionOrder[$0] != next }).allSatisfy({ u in
                              stepPosition[graph.executionOrder[u]].map { $0 < position[next]! } ?? false }) {
                    addend = other
                    postOps.append(PostOp.sum)
                    parts.append("Add as sum")
                } else {
                    break
                }
                absorbed.append(next)
                at = position[next]!
                cur = nextOut
            }

            // The primitive (descriptor now, weights at load time).
            let hasBias = useBias || !folds.isEmpty
            var mainInputs = ins
            if let sep = separable {
                let dw = try DNNLPrimitive.convolution(backend, input: shapes[ins[0]]!, output: sep.shape, kernel: sep.kernelShape,
                                                       groups: sep.groups, window: sep.window, bias: false, postOps: [])
                primitives.append(dw)
                let depthwiseKernel = w[0]
                loads.append { try dw.load(kernel: depthwiseKernel.data) }
                let temp = ValueKey(node: node, tensor: -1)
                shapes[temp] = sep.shape
                pending.append((at, StepSpec(op: .primitive(dw), node: node, inputs: ins, outputs: [temp], inPlace: nil,
                                             description: "\(name(node)): depthwise convolution")))
                mainInputs = [temp]
            }
            let prim: DNNLPrimitive
            switch kind {
            case .conv(let window, let groups, let ks):
                do {
                    prim = try DNNLPrimitive.convolution(backend, input: xMain, output: y0, kernel: ks, groups: groups, window: window,
                                                         padding: explicitPadding, bias: hasBias, postOps: postOps)
                } catch where explicitPadding != nil {
                    return false  // oneDNN refused the folded padding: pad, then convolve
                }
            case .dense(let k, let units):
                prim = try DNNLPrimitive.matmul(backend, rows: x.reduce(1, *) / k, k: k, units: units, bias: hasBias, postOps: postOps)
            }
            primitives.append(prim)
            let kernelTensor = separable == nil ? w[0] : w[1]
            let biasTensor = useBias ? w[separable == nil ? 1 : 2] : nil
            loads.append {
                guard !folds.isEmpty else {
                    try prim.load(kernel: kernelTensor.data, bias: biasTensor?.data)
                    return
                }
                // Folded in Double: kernel[..., o] * scale[o]; bias * scale + shift, per BN in turn.
                var kernel = kernelTensor.data.map(Double.init)
                var bias = biasTensor?.data.map(Double.init) ?? [Double](repeating: 0, count: channels)
                for f in folds {
                    kernel.withUnsafeMutableBufferPointer { kp in
                        let rows = kp.count / channels
                        for r in 0..<rows { for o in 0..<channels { kp[r &* channels &+ o] *= f.scale[o] } }
                    }
                    for o in 0..<channels { bias[o] = bias[o] * f.scale[o] + f.shift[o] }
                }
                try prim.load(kernel: kernel.map(Float.init), bias: bias.map(Float.init))
            }
            let primary = name(node)
            if padFold != nil { padFolds[node] = nil; parts.insert("ZeroPadding2D folded", at: 0) }
            for a in absorbed { fused[a] = primary }
            stepPosition[node] = at
            for a in absorbed { stepPosition[a] = at }
            let what: String = if case .dense = kind { "matmul" } else { "convolution" }
            pending.append((at, StepSpec(op: .primitive(prim), node: node, inputs: addend.map { [mainInputs[0], $0] } ?? mainInputs, outputs: [cur],
                                         inPlace: addend, description: "\(primary): \(([what] + own.map { "\($0)" } + parts).joined(separator: " + "))")))
            if let sm = softmaxPrimitive {
                primitives.append(sm)
                loads.append { try sm.load() }
                pending.append((at, StepSpec(op: .inPlace(sm), node: node, inputs: [cur], outputs: [], inPlace: nil,
                                             description: "\(primary): softmax in place")))
            }
            return true
        }

        /// Orders the steps and gives every value a buffer, reusing buffers by liveness.
        mutating func assignBuffers() throws {
            let ordered = pending.enumerated().sorted { ($0.element.position, $0.offset) < ($1.element.position, $1.offset) }.map(\.element.spec)
            var lastRead: [ValueKey: Int] = [:]
            for (i, s) in ordered.enumerated() { for v in s.inputs { lastRead[v] = i } }
            var bufferOf: [ValueKey: Int] = [:]
            var free: [Int] = []
            func allocate(_ count: Int) -> Int {
                if let best = free.filter({ capacities[$0] >= count }).min(by: { capacities[$0] < capacities[$1] }) {
                    free.removeAll { $0 == best }
                    return best
                }
                if let largest = free.max(by: { capacities[$0] < capacities[$1] }) {
                    free.removeAll { $0 == largest }
                    capacities[largest] = count
                    return largest
                }
                capacities.append(count)
                return capacities.count - 1
            }
            for (i, s) in ordered.enumerated() {
                for o in s.outputs {
                    if let a = s.inPlace, let b = bufferOf[a] { bufferOf[o] = b } else { bufferOf[o] = allocate(shapes[o]!.reduce(1, *)) }
                }
                var released = Set<Int>()
                for v in Set(s.inputs) where lastRead[v] == i && !graphOutputs.contains(v) && v != s.inPlace {
                    if let b = bufferOf[v], !released.contains(b) { free.append(b); released.insert(b) }
                }
                // Outputs nobody reads.
                for o in s.outputs where lastRead[o] == nil && !graphOutputs.contains(o) {
                    if let b = bufferOf[o], !released.contains(b) { free.append(b); released.insert(b) }
                }
            }
            func value(_ k: ValueKey) throws -> Value {
                guard let b = bufferOf[k], let s = shapes[k] else {
                    throw ExecutionError("model \"\(graph.name)\": tensor of layer \"\(name(k.node))\" was not planned")
                }
                return Value(buffer: b, shape: s)
            }
            steps = try ordered.map { s in
                Step(op: s.op, node: s.node, inputs: try s.inputs.map(value), outputs: try s.outputs.map(value))
            }
            descriptions = ordered.map(\.description)
            outputValues = try graph.outputs.map { try value(key($0)) }
        }
    }
}
