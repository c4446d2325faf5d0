import ModelKit
import Foundation
import Kernels

/// Why a forward pass cannot run: names the layer and what is wrong.
public struct ExecutionError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A reference forward pass: runs every call of a `ModelGraph` in `executionOrder` on real
/// tensors (NHWC, float32), nested models recursively, shared layers with the same weights
/// on each call. Heavy operations go through a `ComputeBackend`; the light ones are here.
///
/// Weights are keyed by layer path (`dense`, `encoder/enc_dense1`), each list in the order
/// the operator's `weights` gives, as `ModelWeights.tensors` holds them. A layer the executor
/// cannot run is an error naming the layer and its class, never a silent wrong result.
public struct Executor: Sendable {
    public let graph: ModelGraph
    public let weights: [String: [Tensor]]
    public let backend: any ComputeBackend
    /// Path prefix of this graph's layers in `weights` (`encoder/` for a nested model).
    public let prefix: String
    /// The runners of control-flow bodies, kept across runs.
    let bodies = SubgraphRunners()
    /// Operations no output depends on (`ModelGraph.deadOperations`): not run.
    let dead: Set<Int>

    public init(graph: ModelGraph, weights: [String: [Tensor]], backend: any ComputeBackend = ReferenceBackend(), prefix: String = "") {
        self.graph = graph
        self.weights = weights
        self.backend = backend
        self.prefix = prefix
        self.dead = graph.deadOperations
    }

    /// Runs the model on `inputs` (in `graph.inputs` order); returns tensors in
    /// `graph.outputs` order.
    public func run(_ inputs: [Tensor]) throws -> [Tensor] {
        try run(inputs, layerTimer: nil)
    }

    /// Runs the model as `run(_:)` does and, when `layerTimer` is given, times each call of a
    /// non-input layer of this graph with `ContinuousClock` and reports it (in execution order)
    /// with its node. A nested model is one call: its inner layers are not reported separately.
    /// Without a timer the only cost is one `nil` check per node.
    public func run(_ inputs: [Tensor], layerTimer: ((NodeID, Duration) -> Void)?) throws -> [Tensor] {
        try run(inputs, inputMasks: [], layerTimer: layerTimer).outputs
    }

    /// Runs the model with padding masks on its inputs (`inputMasks`, in input order, nil
    /// where an input has none: a nested model given masked tensors) and returns its outputs
    /// with their masks.
    func run(_ inputs: [Tensor], inputMasks: [Tensor?], layerTimer: ((NodeID, Duration) -> Void)?) throws -> (outputs: [Tensor], masks: [Tensor?]) {
        guard inputs.count == graph.inputs.count else {
            throw ExecutionError("model \"\(graph.name)\" takes \(graph.inputs.count) input(s), given \(inputs.count)")
        }
        var given: [NodeID: Tensor] = [:]
        for (ref, t) in zip(graph.inputs, inputs) { given[NodeID(layer: ref.layer, call: ref.call)] = t }
        var values: [NodeID: [Tensor]] = [:]
        // Padding masks beside the outputs that have one, when some layer makes them or the
        // inputs come with them.
        let flowing = makesMasks || inputMasks.contains { $0 != nil }
        var masks: [NodeID: [Tensor?]] = [:]
        for (i, ref) in graph.inputs.enumerated() where i < inputMasks.count {
            masks[NodeID(layer: ref.layer, call: ref.call)] = [inputMasks[i]]
        }
        for node in graph.executionOrder {
            var layer = graph.layers[node.layer]
            if dead.contains(node.layer) { values[node] = []; continue }
            if let other = layer.callKinds[node.call] { layer.kind = other }
            let args = try layer.calls[node.call].map { ref -> Tensor in
                guard let outs = values[NodeID(layer: ref.layer, call: ref.call)], ref.tensor < outs.count else {
                    throw ExecutionError("layer \"\(layer.name)\" uses tensor \(ref), which was not computed")
                }
                return outs[ref.tensor]
            }
            if layer.kind is InputOp {
                if let t = given[node] { values[node] = [t]; continue }
                if let a = args.first { values[node] = [a]; continue }
                throw ExecutionError("input layer \"\(layer.name)\" was given no tensor")
            }
            // Strings reach only the layers that read them.
            if args.contains(where: { $0.text != nil }), !(layer.kind.handlesText || layer.kind is SubgraphOp) {
                throw fail(layer, "reads numbers, but was given strings")
            }
            let argMasks: [Tensor?] = flowing ? layer.calls[node.call].map { ref in masks[NodeID(layer: ref.layer, call: ref.call)]?[ref.tensor] ?? nil } : []
            do {
                let start = layerTimer == nil ? nil : ContinuousClock.now
                var out: [Tensor]
                if let producer = layer.explicitAttentionMask, let k = layer.kind as? MultiHeadAttentionOp {
                    // An explicit attention mask, read by value from the layer that made it.
                    guard let p = graph.layers.firstIndex(where: { $0.name == producer }),
                          let m = values[NodeID(layer: p, call: 0)]?.first else {
                        throw fail(layer, "its attention_mask (from layer \"\(producer)\") was not computed")
                    }
                    out = try runMultiHeadAttention(layer, k, args, masks: argMasks, attentionMask: m)
                } else if flowing, layer.maskRule == .nested, let sub = layer.kind as? SubgraphOp {
                    // A nested model takes the masks of its arguments and gives its outputs'.
                    let inner = Executor(graph: sub.graph, weights: weights, backend: backend, prefix: prefix + layer.name + "/")
                    let result = try inner.run(args, inputMasks: argMasks, layerTimer: nil)
                    out = result.outputs
                    masks[node] = result.masks
                } else {
                    out = try (flowing ? runWithMasks(layer, args, argMasks) : nil) ?? runLayer(layer, args)
                }
                if flowing && layer.maskRule != .nested { masks[node] = try outputMasks(layer, args, argMasks, outputs: out) }
                if let layerTimer, let start { layerTimer(node, ContinuousClock.now - start) }
                values[node] = out
            } catch let e as ExecutionError {
                throw e
            } catch {
                throw ExecutionError("layer \"\(prefix)\(layer.name)\" (\(layer.className)): \(error)")
            }
        }
        let outputs = try graph.outputs.map { ref in
            guard let outs = values[NodeID(layer: ref.layer, call: ref.call)], ref.tensor < outs.count else {
                throw ExecutionError("model output \(ref) was not computed")
            }
            return outs[ref.tensor]
        }
        let outputMasks = graph.outputs.map { ref -> Tensor? in
            guard let m = masks[NodeID(layer: ref.layer, call: ref.call)], ref.tensor < m.count else { return nil }
            return m[ref.tensor]
        }
        return (outputs, outputMasks)
    }

    // MARK: - Layers

    /// The format as its users name it, for messages that say what the format would do.
    var formatName: String { graph.source.conventions.formatName }

    func fail(_ layer: Layer, _ why: String) -> ExecutionError {
        ExecutionError("\(graph.source.conventions.unitName) \"\(prefix)\(layer.name)\" (\(layer.sourceDescription ?? layer.className)): \(why)")
    }

    func params(_ layer: Layer, _ count: Int) throws -> [Tensor] {
        guard let w = weights[prefix + layer.name] else { throw fail(layer, "no weights for layer path \"\(prefix)\(layer.name)\"") }
        guard w.count == count else { throw fail(layer, "expected \(count) weight tensors, found \(w.count)") }
        return w
    }

    func single(_ layer: Layer, _ args: [Tensor]) throws -> Tensor {
        guard args.count == 1 else { throw fail(layer, "expects one input, given \(args.count)") }
        return args[0]
    }

    func window(_ layer: Layer, _ g: ConvolutionGeometry) throws -> Window2D {
        guard g.rank == 2, !g.channelsFirst else { throw fail(layer, "not runnable yet: only 2-D channels-last convolutions run") }
        // Explicit pads are added to the input first (`padded`); the window itself is valid.
        if g.pads != nil { return Window2D(kernel: g.kernelSize, strides: g.strides, dilation: g.dilation, padding: .valid) }
        guard let p = WindowPadding(rawValue: g.padding) else { throw fail(layer, "not runnable yet: padding \"\(g.padding)\"") }
        return Window2D(kernel: g.kernelSize, strides: g.strides, dilation: g.dilation, padding: p)
    }

    /// A rank-4 channels-last input with the geometry's explicit pads added as zeros (the
    /// input itself when it has none).
    func padded(_ layer: Layer, _ x: Tensor, _ g: ConvolutionGeometry) throws -> Tensor {
        try rank4(layer, x)
        guard let pads = g.pads else { return x }
        guard pads.before.count == 2, pads.after.count == 2, (pads.before + pads.after).allSatisfy({ $0 >= 0 }) else {
            throw fail(layer, "not runnable yet: pads \(pads.before) before and \(pads.after) after")
        }
        return zeroPad(x, zip(pads.before, pads.after).map { (before: $0, after: $1) })
    }

    func rank4(_ layer: Layer, _ x: Tensor) throws {
        guard x.shape.count == 4 else { throw fail(layer, "expects an input of rank 4, found shape \(x.shape)") }
    }

    func runLayer(_ layer: Layer, _ args: [Tensor]) throws -> [Tensor] {
        let kind = layer.kind
        if let k = kind as? TensorFunctionOp, let out = try arrayFunction(layer, k, args) { return out }
        switch kind {
        case let k as ControlFlowOp:
            return try runControlFlow(layer, k, args)
        case let c as ConvolutionOp where c.geometry.channelsFirst && c.loraRank == nil:
            return [try convolutionChannelsFirst(layer, c, single(layer, args))]
        case let k as PoolingOp where k.window.layout.channelsFirst && k.window.padding != "causal":
            return [try channelsFirstPool(layer, k.window, single(layer, args), average: k.reduction == .average)]
        case let k as PoolingOp where k.window.padding == "explicit" || k.window.sameLower:
            let x = try single(layer, args)
            let y = try channelsFirstPool(layer, k.window, SpatialTensors.channelsToFirst(x), average: k.reduction == .average)
            return [SpatialTensors.channelsToLast(y)]
        case let k as SubgraphOp:
            let inner = Executor(graph: k.graph, weights: weights, backend: backend, prefix: prefix + layer.name + "/")
            return try inner.run(args)

        case let c as ConvolutionOp where c.geometry.rank == 2:
            if c.geometry.channelsFirst { return try conv2dChannelsFirst(layer, c, args) }
            let x = try padded(layer, try single(layer, args), c.geometry)
            let w = try params(layer, c.useBias ? 2 : 1)
            let y = backend.conv2d(x, kernel: w[0], bias: c.useBias ? w[1] : nil, window: try window(layer, c.geometry), groups: c.groups)
            return [try ActivationFunctions.apply(c.activation, y, context: "layer \"\(prefix)\(layer.name)\" (\(layer.className))")]

        case let c as DepthwiseConvolutionOp where c.geometry.rank == 2:
            let x = try padded(layer, try single(layer, args), c.geometry)
            let w = try params(layer, c.useBias ? 2 : 1)
            let y = backend.depthwiseConv2d(x, kernel: w[0], bias: c.useBias ? w[1] : nil, window: try window(layer, c.geometry))
            return [try ActivationFunctions.apply(c.activation, y, context: "layer \"\(prefix)\(layer.name)\" (\(layer.className))")]

        case let c as SeparableConvolutionOp where c.geometry.rank == 2:
            let x = try single(layer, args)
            try rank4(layer, x)
            let w = try params(layer, c.useBias ? 3 : 2)
            let d = backend.depthwiseConv2d(x, kernel: w[0], bias: nil, window: try window(layer, c.geometry))
            let one = Window2D(kernel: [1, 1], strides: [1, 1], padding: .valid)
            let y = backend.conv2d(d, kernel: w[1], bias: c.useBias ? w[2] : nil, window: one, groups: 1)
            return [try ActivationFunctions.apply(c.activation, y, context: "layer \"\(prefix)\(layer.name)\" (\(layer.className))")]

        case let k as DenseOp:
            guard k.loraRank == nil else { throw fail(layer, "not runnable yet: LoRA") }
            let x = try single(layer, args)
            let w = try params(layer, k.useBias ? 2 : 1)
            guard x.shape.last == w[0].shape[0] else { throw fail(layer, "input shape \(x.shape) does not fit kernel \(w[0].shape)") }
            let y = backend.dense(x, kernel: w[0], bias: k.useBias ? w[1] : nil)
            return [try ActivationFunctions.apply(k.activation, y, context: "layer \"\(prefix)\(layer.name)\" (\(layer.className))")]

        case let k as BatchNormOp:
            return [try batchNorm(layer, k, single(layer, args))]

        case let k as ActivationOp:
            return [try ActivationFunctions.apply(k.function, single(layer, args), context: "layer \"\(prefix)\(layer.name)\" (\(layer.className))")]
        case let k as ReLUOp:
            return [ActivationFunctions.relu(try single(layer, args), negativeSlope: Float(k.negativeSlope),
                                             maxValue: k.maxValue.map(Float.init), threshold: Float(k.threshold))]
        case let k as ThresholdedReLUOp:
            let t = Float(k.theta)
            return [ActivationFunctions.map(try single(layer, args)) { $0 > t ? $0 : 0 }]
        case let k as SoftmaxOp:
            let x = try single(layer, args)
            guard k.axes.count == 1, let axis = TensorShape(x.shape).normalizedAxis(k.axes[0]) else {
                throw fail(layer, "not runnable yet: softmax over axes \(k.axes)")
            }
            return [ActivationFunctions.softmax(x, axis: axis)]

        case let k as MergeOp:
            switch k.kind {
            case .add: return [try merge(layer, args) { $0 + $1 }]
            case .subtract:
                guard args.count == 2 else { throw fail(layer, "expects two inputs, given \(args.count)") }
                return [try merge(layer, args) { $0 - $1 }]
            case .multiply: return [try merge(layer, args) { $0 * $1 }]
            case .maximum: return [try merge(layer, args) { max($0, $1) }]
            case .minimum: return [try merge(layer, args) { min($0, $1) }]
            case .average:
                var s = try merge(layer, args) { $0 + $1 }
                let n = Float(args.count)
                for i in s.data.indices { s.data[i] /= n }
                return [s]
            }
        case let k as ConcatOp:
            return [try concatenate(layer, args, axis: k.axis)]

        case let k as PoolingOp where k.spatialRank == 2:
            let average = k.reduction == .average
            if k.window.layout.channelsFirst { return [try pool(layer, k.window, args, average: average)] }
            let x = try single(layer, args)
            let window = try poolWindow(layer, k.window, x)
            return [average ? backend.averagePool2d(x, window: window) : backend.maxPool2d(x, window: window)]
        case let k as GlobalPoolingOp where k.spatialRank == 2:
            let average = k.kind == .average
            if k.reduction.layout.channelsFirst { return [try globalPoolND(layer, k.reduction, args, average: average)] }
            return [try globalPool(layer, single(layer, args), k.reduction, average: average)]

        case let k as FlattenOp:
            let x = try single(layer, args)
            if k.channelsFirst && x.shape.count > 2 { throw fail(layer, "not runnable yet: channels-first flattening") }
            return [Tensor(shape: [x.shape[0], x.count / max(x.shape[0], 1)], data: x.data)]
        case let k as ReshapeOp:
            let x = try single(layer, args)
            let batch = x.shape[0]
            let per = x.count / max(batch, 1)
            var target = try k.targetShape.map { d -> Int in
                guard let d else { throw fail(layer, "target shape \(k.targetShape) has an unknown dimension") }
                return d
            }
            if let i = target.firstIndex(of: -1) {
                let known = target.enumerated().filter { $0.offset != i }.reduce(1) { $0 * $1.element }
                guard known > 0, per % known == 0 else { throw fail(layer, "cannot reshape \(x.shape) to \(k.targetShape)") }
                target[i] = per / known
            }
            guard target.reduce(1, *) == per else { throw fail(layer, "cannot reshape \(x.shape) to \(target)") }
            return [Tensor(shape: [batch] + target, data: x.data)]
        case let k as ZeroPaddingOp where k.layout.spatialRank == 2:
            if k.layout.channelsFirst { return [try reframe(layer, k.layout, k.amounts, args, sign: 1)] }
            let x = try single(layer, args)
            try rank4(layer, x)
            return [zeroPad(x, k.amounts.pairs)]

        case let k as BucketizeOp:
            // numpy digitize: the count of boundaries at or below each value.
            var x = try single(layer, args)
            for i in x.data.indices {
                let v = x.data[i]
                var lo = 0, hi = k.boundaries.count
                while lo < hi { let mid = (lo + hi) / 2; if k.boundaries[mid] <= v { lo = mid + 1 } else { hi = mid } }
                x.data[i] = Float(lo)
            }
            return [x]

        case let k as AdaptivePoolingOp:
            return [try adaptivePool(layer, k, try single(layer, args))]

        case let k as MaskingOp:
            // Steps whose features all equal the mask value become zeros (their mask: `outputMasks`).
            var x = try single(layer, args)
            guard let f = x.shape.last, f > 0 else { return [x] }
            for (r, kept) in Self.keptSteps(x, maskValue: k.maskValue).enumerated() where !kept {
                for j in 0..<f { x.data[r * f + j] = 0 }
            }
            return [x]

        case is PassthroughOp:
            return [try single(layer, args)]

        default:
            if let out = try runSequenceLayer(layer, args) { return out }
            if let out = try runSpatialLayer(layer, args) { return out }
            switch layer.kind {
            case let k as ConvLSTMOp:
                return try runConvLSTM(layer, k, args)
            case is RandomCropOp:
                throw fail(layer, "not runnable yet: at inference \(formatName) resizes the image and crops its centre to the target size, which Strata does not do")
            default:
                throw fail(layer, "not runnable yet")
            }
        }
    }

    private func batchNorm(_ layer: Layer, _ k: BatchNormOp, _ x: Tensor) throws -> Tensor {
        guard !k.renorm, !k.virtualBatch, k.axis.axes.count == 1,
              let axis = TensorShape(x.shape).normalizedAxis(k.axis.axes[0]) else {
            throw fail(layer, "not runnable yet: renorm, virtual batches or several axes")
        }
        let w = try params(layer, 2 + (k.scale ? 1 : 0) + (k.center ? 1 : 0))
        var i = 0
        let gamma = k.scale ? w[i] : nil; if k.scale { i += 1 }
        let beta = k.center ? w[i] : nil; if k.center { i += 1 }
        let mean = w[i], variance = w[i + 1]
        let c = x.shape[axis]
        guard mean.count == c else { throw fail(layer, "statistics of size \(mean.count) do not fit axis \(axis) of \(x.shape)") }
        var scale = [Float](repeating: 1, count: c), shift = [Float](repeating: 0, count: c)
        for j in 0..<c {
            let inv = 1 / (variance.data[j] + Float(k.epsilon)).squareRoot()
            let g = gamma?.data[j] ?? 1
            scale[j] = g * inv
            shift[j] = (beta?.data[j] ?? 0) - mean.data[j] * g * inv
        }
        let inner = x.shape[(axis + 1)...].reduce(1, *)
        var y = x
        for idx in y.data.indices {
            let ch = (idx / inner) % c
            y.data[idx] = y.data[idx] * scale[ch] + shift[ch]
        }
        return y
    }

    func merge(_ layer: Layer, _ args: [Tensor], _ op: (Float, Float) -> Float) throws -> Tensor {
        guard var acc = args.first else { throw fail(layer, "expects inputs, given none") }
        for t in args.dropFirst() {
            guard t.shape == acc.shape else {
                // Axes of length 1 broadcast, as the merge's shape rule allows (squeeze-excite:
                // (n,h,w,c) * (n,1,1,c)).
                guard let b = SpatialTensors.broadcast(acc, t, op) else {
                    throw fail(layer, "inputs of shapes \(args.map(\.shape)) do not broadcast")
                }
                acc = b
                continue
            }
            for i in acc.data.indices { acc.data[i] = op(acc.data[i], t.data[i]) }
        }
        return acc
    }

    func concatenate(_ layer: Layer, _ args: [Tensor], axis raw: Int) throws -> Tensor {
        guard let first = args.first, let axis = TensorShape(first.shape).normalizedAxis(raw) else {
            throw fail(layer, "bad axis \(raw)")
        }
        for t in args {
            guard t.shape.count == first.shape.count,
                  (0..<t.shape.count).allSatisfy({ $0 == axis || t.shape[$0] == first.shape[$0] }) else {
                throw fail(layer, "inputs \(args.map(\.shape)) do not fit on axis \(raw)")
            }
        }
        let outer = first.shape[..<axis].reduce(1, *)
        let inner = first.shape[(axis + 1)...].reduce(1, *)
        var shape = first.shape
        shape[axis] = args.reduce(0) { $0 + $1.shape[axis] }
        var data: [Float] = []
        data.reserveCapacity(shape.reduce(1, *))
        for o in 0..<outer {
            for t in args {
                let block = t.shape[axis] * inner
                data.append(contentsOf: t.data[(o * block)..<((o + 1) * block)])
            }
        }
        return Tensor(shape: shape, data: data)
    }

    func poolWindow(_ layer: Layer, _ w: PoolingWindow, _ x: Tensor) throws -> Window2D {
        try rank4(layer, x)
        guard !w.layout.channelsFirst, w.poolSize.count == 2 else { throw fail(layer, "not runnable yet: channels-first") }
        guard let p = WindowPadding(rawValue: w.padding) else { throw fail(layer, "not runnable yet: padding \"\(w.padding)\"") }
        return Window2D(kernel: w.poolSize, strides: w.strides, padding: p)
    }

    private func globalPool(_ layer: Layer, _ x: Tensor, _ r: GlobalPoolingReduction, average: Bool) throws -> Tensor {
        try rank4(layer, x)
        guard !r.layout.channelsFirst else { throw fail(layer, "not runnable yet: channels-first") }
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        var out = [Float](repeating: average ? 0 : -.infinity, count: n * c)
        for b in 0..<n {
            for p in 0..<(h * w) {
                for ch in 0..<c {
                    let v = x.data[(b * h * w + p) * c + ch]
                    out[b * c + ch] = average ? out[b * c + ch] + v : max(out[b * c + ch], v)
                }
            }
        }
        if average { for i in out.indices { out[i] /= Float(h * w) } }
        return Tensor(shape: r.keepDims ? [n, 1, 1, c] : [n, c], data: out)
    }

    func zeroPad(_ x: Tensor, _ pairs: [(before: Int, after: Int)]) -> Tensor {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let oh = h + pairs[0].before + pairs[0].after, ow = w + pairs[1].before + pairs[1].after
        var out = Tensor(zeros: [n, oh, ow, c])
        for b in 0..<n {
            for y in 0..<h {
                for xx in 0..<w {
                    let src = ((b * h + y) * w + xx) * c
                    let dst = ((b * oh + y + pairs[0].before) * ow + xx + pairs[1].before) * c
                    for ch in 0..<c { out.data[dst + ch] = x.data[src + ch] }
                }
            }
        }
        return out
    }
}
