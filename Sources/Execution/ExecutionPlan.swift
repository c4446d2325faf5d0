import ModelKit
import Foundation
import Kernels

/// A model's forward pass compiled once for fixed input shapes and run many times on oneDNN.
///
/// Built by `ExecutionPlan.build`:
/// - 2-D convolutions (a depthwise one as a grouped convolution, a separable one as a
///   depthwise then a pointwise primitive) and dense layers become oneDNN primitives made
///   once, their weights reordered once into the layout the primitive prefers. Activations
///   are NHWC float32 throughout (row-major for dense layers).
/// - A batch normalization whose input is such a node's only use (linear activation,
///   normalising the last axis, inference statistics) is folded into its kernel and bias (in
///   Double).
/// - Activations that oneDNN computes exactly (the node's own, or a following activation
///   node that is the only use) become eltwise post-ops; a following two-input add whose
///   other operand is not used afterwards becomes a `sum` post-op that writes into that
///   operand's buffer (post-ops run in order: sum, then a later ReLU).
/// - Pooling runs on oneDNN; a standalone batch normalization (last axis), element-wise
///   merges of equal shapes and activations run as buffer loops or oneDNN eltwise primitives;
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
    /// One line per step, in run order (`conv1_conv: convolution + batch normalization folded
    /// + relu`, `flatten: Executor (Flatten)`), for tests and debugging.
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

    init(graph: ModelGraph, inputShapes: [[Int]], memory: Memory, fusedInto: [NodeID: String],
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

    /// Element-wise operations of two or more tensors.
    enum BinaryOp { case add, subtract, multiply, divide, maximum, minimum, average }

    enum Op {
        case input(Int)
        case primitive(DNNLPrimitive)
        /// A primitive run on its input's buffer in place (softmax after a matmul).
        case inPlace(DNNLPrimitive)
        case zeroPad(before: [Int], after: [Int])
        /// Concatenation: `outer` rows, each the inputs' blocks (floats) side by side.
        case concat(outer: Int, blocks: [Int])
        case batchNorm(scale: [Float], shift: [Float])
        case binary(BinaryOp)
        /// A binary operation of a full tensor (outer, mid, inner) and one broadcast along its
        /// middle block (outer, 1, inner); `fullFirst` says which operand is the full one.
        case broadcastBinary(BinaryOp, outer: Int, mid: Int, inner: Int, fullFirst: Bool)
        /// Softmax along the middle axis of (outer, length, inner), inner contiguous.
        case softmax(outer: Int, length: Int, inner: Int)
        /// An axis permutation of a dense tensor (the input's shape, the permutation).
        case transpose(shape: [Int], perm: [Int])
        /// The input cut along an axis into the outputs: `outer` rows, each the outputs'
        /// blocks (floats) side by side.
        case split(outer: Int, blocks: [Int])
        case copy
        /// Values computed when the plan was built, written into their buffers.
        case constant([Tensor])
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
            // Consecutive steps of one call (a matmul and its softmax) are reported as one time.
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
                    parallel(rows, cost: c) { range in
                        for r in range {
                            let xr = x + r &* c, yr = y + r &* c
                            for j in 0..<c { yr[j] = xr[j] * s[j] + h[j] }
                        }
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
        case .broadcastBinary(let op, let outer, let mid, let inner, let fullFirst):
            let full = pointer(step.inputs[fullFirst ? 0 : 1]), small = pointer(step.inputs[fullFirst ? 1 : 0])
            let y = pointer(step.outputs[0])
            parallel(outer &* mid, cost: inner) { range in
                for row in range {
                    let o = row / mid
                    let b = small + o &* inner
                    let base = row &* inner
                    let a = full + base, out = y + base
                    switch (op, fullFirst) {
                    case (.add, _): for j in 0..<inner { out[j] = a[j] + b[j] }
                    case (.multiply, _): for j in 0..<inner { out[j] = a[j] * b[j] }
                    case (.maximum, _): for j in 0..<inner { out[j] = max(a[j], b[j]) }
                    case (.minimum, _): for j in 0..<inner { out[j] = min(a[j], b[j]) }
                    case (.subtract, true): for j in 0..<inner { out[j] = a[j] - b[j] }
                    case (.subtract, false): for j in 0..<inner { out[j] = b[j] - a[j] }
                    case (.divide, true): for j in 0..<inner { out[j] = a[j] / b[j] }
                    case (.divide, false): for j in 0..<inner { out[j] = b[j] / a[j] }
                    case (.average, _): for j in 0..<inner { out[j] = (a[j] + b[j]) / 2 }
                    }
                }
            }
        case .constant(let values):
            for (t, v) in zip(values, step.outputs) {
                let out = pointer(v)
                t.data.withUnsafeBufferPointer { if let b = $0.baseAddress { out.update(from: b, count: $0.count) } }
            }
        case .softmax(let outer, let length, let inner):
            let x = pointer(step.inputs[0]), y = pointer(step.outputs[0])
            Self.softmaxRows(x, y, outer: outer, length: length, inner: inner)
        case .transpose(let shape, let perm):
            Self.permute(pointer(step.inputs[0]), pointer(step.outputs[0]), shape: shape, perm: perm)
        case .split(let outer, let blocks):
            let x = pointer(step.inputs[0])
            let row = blocks.reduce(0, +)
            var start = 0
            for (i, block) in blocks.enumerated() {
                let y = pointer(step.outputs[i])
                for o in 0..<outer { (y + o &* block).update(from: x + (o &* row &+ start), count: block) }
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

    /// Softmax of (outer, length, inner) along the middle axis, `inner` values at a time.
    static func softmaxRows(_ x: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>, outer: Int, length: Int, inner: Int) {
        let peak = UnsafeMutablePointer<Float>.allocate(capacity: inner), sum = UnsafeMutablePointer<Float>.allocate(capacity: inner)
        defer { peak.deallocate(); sum.deallocate() }
        for o in 0..<outer {
            let xb = x + o &* length &* inner, yb = y + o &* length &* inner
            peak.update(repeating: -.infinity, count: inner)
            sum.update(repeating: 0, count: inner)
            for i in 0..<length { let r = xb + i &* inner; for j in 0..<inner { peak[j] = max(peak[j], r[j]) } }
            for i in 0..<length {
                let r = xb + i &* inner, w = yb + i &* inner
                for j in 0..<inner { let e = expf(r[j] - peak[j]); w[j] = e; sum[j] += e }
            }
            for j in 0..<inner { sum[j] = 1 / sum[j] }
            for i in 0..<length { let w = yb + i &* inner; for j in 0..<inner { w[j] *= sum[j] } }
        }
    }

    /// `y` = `x` (of `shape`) with its axes permuted (output axis i is input axis perm[i]);
    /// the innermost output axis is a strided loop.
    static func permute(_ x: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>, shape: [Int], perm: [Int]) {
        let inStrides = NDArray.strides(shape)
        StridedWalk.walk(perm.map { shape[$0] }, base: 0, steps: perm.map { inStrides[$0] }) { o, s in y[o] = x[s] }
    }

    /// Runs `body` over `0..<count` split into one contiguous range per thread of the plan
    /// when the work (`count` × `cost` values) is large enough to pay for it; else at once.
    func parallel(_ count: Int, cost: Int, _ body: (Range<Int>) -> Void) {
        let chunks = min(threadsUsed, count)
        guard chunks > 1, count &* cost >= 1 << 16 else { body(0..<count); return }
        let per = (count + chunks - 1) / chunks
        withoutActuallyEscaping(body) { run in
            nonisolated(unsafe) let run = run
            DispatchQueue.concurrentPerform(iterations: chunks) { i in run((i * per)..<min((i + 1) * per, count)) }
        }
    }

    private func binary(_ op: BinaryOp, _ step: Step) {
        let y = pointer(step.outputs[0])
        let total = step.outputs[0].count
        let a = pointer(step.inputs[0])
        if a != y { y.update(from: a, count: total) }
        for v in step.inputs.dropFirst() {
            let b = pointer(v)
            parallel(total, cost: 1) { range in
                let y = y + range.lowerBound, b = b + range.lowerBound, n = range.count
                switch op {
                case .add, .average: for i in 0..<n { y[i] += b[i] }
                case .subtract: for i in 0..<n { y[i] -= b[i] }
                case .divide: for i in 0..<n { y[i] /= b[i] }
                case .multiply: for i in 0..<n { y[i] *= b[i] }
                case .maximum: for i in 0..<n { y[i] = max(y[i], b[i]) }
                case .minimum: for i in 0..<n { y[i] = min(y[i], b[i]) }
                }
            }
        }
        if op == .average {
            let k = Float(step.inputs.count)
            for i in 0..<total { y[i] /= k }
        }
    }
}
