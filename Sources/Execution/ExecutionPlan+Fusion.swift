import Foundation
import Kernels
import ModelKit

/// Turning nodes into steps: oneDNN primitives with their fused post-ops, the light
/// operations as buffer loops, the rest through the Executor.
extension ExecutionPlan.Builder {
    mutating func compileNode(_ node: NodeID, at p: Int) throws {
        let layer = graph.layers[node.layer]
        let ins = args(node)
        let out = ValueKey(node: node, tensor: 0)
        func simple(_ op: Op, _ what: String) {
            add(StepSpec(op: op, node: node, inputs: ins, outputs: [out], inPlace: nil, description: "\(name(node)): \(what)"), at: p)
        }
        switch layer.kind {
        case let f as TensorFunctionOp where f.function == "transpose" && ins.count == 1:
            if let x = shapes[ins[0]], let perm = f.intList("perm") ?? Optional(Array((0..<x.count).reversed())),
               perm.count == x.count, Set(perm) == Set(0..<x.count), shapes[out] == perm.map({ x[$0] }) {
                // Only the axes longer than 1 decide where the values go.
                let moved = perm.filter { x[$0] > 1 }
                simple(moved == moved.sorted() ? .copy : .transpose(shape: x, perm: perm), moved == moved.sorted() ? "transpose (a copy)" : "transpose")
                return
            }
        case let f as TensorFunctionOp where ["add", "sub", "mul", "div", "maximum", "minimum"].contains(f.function) && ins.count == 2
            && (f.operands?.allSatisfy({ if case .tensor = $0 { return true }; return false }) ?? true):
            // One operand broadcast along a contiguous block of the other's axes (a channel
            // attention's (n, 1, 1, c) scale on (n, h, w, c)).
            if let a = shapes[ins[0]], let b = shapes[ins[1]], let y = shapes[out], a != b, a == y || b == y {
                let fullFirst = a == y
                let small = fullFirst ? b : a
                let padded = [Int](repeating: 1, count: max(y.count - small.count, 0)) + small
                let broadcast = (0..<y.count).filter { padded[$0] == 1 && y[$0] != 1 }
                if padded.count == y.count, let first = broadcast.first, let lastAxis = broadcast.last,
                   (first...lastAxis).allSatisfy({ padded[$0] == 1 }),
                   (0..<y.count).allSatisfy({ ($0 >= first && $0 <= lastAxis) || padded[$0] == y[$0] }) {
                    let op: BinaryOp = switch f.function {
                    case "add": .add
                    case "sub": .subtract
                    case "mul": .multiply
                    case "div": .divide
                    case "maximum": .maximum
                    default: .minimum
                    }
                    simple(.broadcastBinary(op, outer: y[..<first].reduce(1, *), mid: y[first...lastAxis].reduce(1, *),
                                            inner: y[(lastAxis + 1)...].reduce(1, *), fullFirst: fullFirst), "\(f.function) (broadcast loop)")
                    return
                }
            }
        case let f as TensorFunctionOp where ["reshape", "flatten", "squeeze", "unsqueeze", "identity"].contains(f.function) && !ins.isEmpty
            && f.argument("shape") == nil:
            // The same numbers under another shape (the target computed or folded): a copy.
            if let x = shapes[ins[0]], let y = shapes[out], x.reduce(1, *) == y.reduce(1, *), shapes[ValueKey(node: node, tensor: 1)] == nil {
                add(StepSpec(op: .copy, node: node, inputs: [ins[0]], outputs: [out], inPlace: nil, description: "\(name(node)): copy"), at: p)
                return
            }
        case let f as TensorFunctionOp where f.function == "split" && ins.count == 1:
            let outs = (shapes.keys.filter { $0.node == node && $0.tensor >= 0 }).sorted { $0.tensor < $1.tensor }
            if let x = shapes[ins[0]], let a = NDArray.axis(f.argument("axis")?.intValue ?? 0, x.count), !outs.isEmpty,
               outs.allSatisfy({ shapes[$0]?.count == x.count }), outs.reduce(0, { $0 + shapes[$1]![a] }) == x[a] {
                let inner = x[(a + 1)...].reduce(1, *)
                add(StepSpec(op: .split(outer: x[..<a].reduce(1, *), blocks: outs.map { shapes[$0]![a] * inner }), node: node, inputs: ins,
                             outputs: outs, inPlace: nil, description: "\(name(node)): split (row copies)"), at: p)
                return
            }
        case is TensorFunctionOp where unread(node):
            // A function whose results nothing reads (a Constant or an Identity its readers
            // hold as a weight): no step.
            stepPosition[node] = p
            return
        case is InputOp:
            if let i = graph.inputs.firstIndex(where: { NodeID(layer: $0.layer, call: $0.call) == node }) {
                add(StepSpec(op: .input(i), node: node, inputs: [], outputs: [out], inPlace: nil, description: "\(name(node)): input \(i + 1)"), at: p)
            } else if ins.count == 1 {
                simple(.copy, "copy")
            } else {
                throw ExecutionError("input layer \"\(layer.name)\" was given no tensor")
            }
            return
        case let k as ConvolutionOp where k.geometry.rank == 2:
            if try compileKernelChain(node, at: p) { return }
        case let k as DepthwiseConvolutionOp where k.geometry.rank == 2:
            if try compileKernelChain(node, at: p) { return }
        case let k as SeparableConvolutionOp where k.geometry.rank == 2:
            if try compileKernelChain(node, at: p) { return }
        case is DenseOp:
            if try compileKernelChain(node, at: p) { return }
        case let k as SubgraphOp:
            // Compiled recursively (weights under this layer's path); loaded with the outer plan.
            if ins.count == k.graph.inputs.count, ins.allSatisfy({ shapes[$0] != nil }) {
                var sub = ExecutionPlan.Builder(graph: k.graph, weights: weights, backend: backend, prefix: prefix + layer.name + "/")
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
        case let k as ZeroPaddingOp where k.layout.spatialRank == 2:
            if ins.count == 1, let x = shapes[ins[0]], x.count == 4, !k.layout.channelsFirst, k.amounts.pairs.count == 2 {
                let before = k.amounts.pairs.map(\.before), after = k.amounts.pairs.map(\.after)
                // Folded into a following `valid` convolution that is its only use.
                if let next = soleUse(out) {
                    let nl = graph.layers[next.layer]
                    let valid = (nl.kind as? ConvolutionOp).map { $0.geometry.rank == 2 && $0.geometry.padding == "valid" } ?? false
                        || (nl.kind as? DepthwiseConvolutionOp).map { $0.geometry.rank == 2 && $0.geometry.padding == "valid" } ?? false
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
        case let k as ConcatOp:
            if !ins.isEmpty, let first = shapes[ins[0]], let y = shapes[out], let axis = TensorShape(first).normalizedAxis(k.axis),
               ins.allSatisfy({ v in
                   guard let s = shapes[v], s.count == first.count else { return false }
                   return (0..<s.count).allSatisfy { $0 == axis || s[$0] == first[$0] }
               }), y.count == first.count, y[axis] == ins.reduce(0, { $0 + shapes[$1]![axis] }) {
                let outer = first[..<axis].reduce(1, *), inner = first[(axis + 1)...].reduce(1, *)
                simple(.concat(outer: outer, blocks: ins.map { shapes[$0]![axis] * inner }), "concatenate (row copies)")
                return
            }
        case let k as GlobalPoolingOp where k.spatialRank == 2:
            if try compileGlobalPool(node, k.reduction, max: k.kind == .max, at: p) { return }
        case let k as SoftmaxOp:
            if ins.count == 1, let s = shapes[out], k.axes.count == 1, let axis = TensorShape(s).normalizedAxis(k.axes[0]), axis != s.count - 1 {
                // Along an inner axis: a loop over contiguous rows (oneDNN's plain-layout
                // softmax strides through memory there).
                let (outer, length, inner) = NDArray.around(s, axis)
                simple(.softmax(outer: outer, length: length, inner: inner), "softmax (row loop)")
                return
            }
            if ins.count == 1, let s = shapes[out], k.axes.count == 1, let axis = TensorShape(s).normalizedAxis(k.axes[0]),
               let prim = try? DNNLPrimitive.softmax(backend, shape: s, axis: axis) {
                primitives.append(prim)
                loads.append { try prim.load() }
                simple(.primitive(prim), "softmax")
                return
            }
        case let k as PoolingOp where k.spatialRank == 2:
            if try compilePool(node, k.window, max: k.reduction == .max, at: p) { return }
        case let k as BatchNormOp:
            if ins.count == 1, let s = shapes[ins[0]],
               var (scale, shift) = ExecutionPlan.batchNormAffine(k, weights: weights[prefix + layer.name], shape: s) {
                // Per-channel steps right after it (an exporter's Mul then Add) become one table.
                var cur = out, at = p, merged: [NodeID] = []
                while let next = soleUse(cur), let nk = graph.layers[next.layer].kind as? BatchNormOp, args(next).count == 1,
                      shapes[ValueKey(node: next, tensor: 0)] == s,
                      let (s2, h2) = ExecutionPlan.batchNormAffine(nk, weights: weights[prefix + graph.layers[next.layer].name], shape: s) {
                    for j in scale.indices { scale[j] *= s2[j]; shift[j] = shift[j] * s2[j] + h2[j] }
                    merged.append(next)
                    cur = ValueKey(node: next, tensor: 0)
                    at = position[next]!
                }
                tableBytes += scale.count * 8
                for m in merged { fused[m] = name(node); stepPosition[m] = at }
                add(StepSpec(op: .batchNorm(scale: scale.map(Float.init), shift: shift.map(Float.init)), node: node, inputs: ins, outputs: [cur],
                             inPlace: nil, description: "\(name(node)): batch normalization (per channel)" + (merged.isEmpty ? "" : " + \(merged.count) more merged")),
                    at: at)
                return
            }
        case let k as MergeOp:
            let op: BinaryOp = switch k.kind {
            case .add: .add
            case .subtract: .subtract
            case .multiply: .multiply
            case .maximum: .maximum
            case .minimum: .minimum
            case .average: .average
            }
            if ins.count >= 1, (op != .subtract || ins.count == 2), ins.allSatisfy({ shapes[$0] == shapes[out] }) {
                simple(.binary(op), "\(layer.className) (buffer loop)")
                return
            }
        case is PassthroughOp, is ReshapeOp:
            if ins.count == 1, shapes[ins[0]].map({ $0.reduce(1, *) }) == shapes[out].map({ $0.reduce(1, *) }) {
                simple(.copy, "copy")
                return
            }
        case let k as FlattenOp:
            if ins.count == 1, !(k.channelsFirst && (shapes[ins[0]]?.count ?? 0) > 2),
               shapes[ins[0]].map({ $0.reduce(1, *) }) == shapes[out].map({ $0.reduce(1, *) }) {
                simple(.copy, "copy")
                return
            }
        default:
            if let ops = ExecutionPlan.eltwise(layer: layer), ins.count == 1, let s = shapes[out], ops.count == 1 {
                let prim = try DNNLPrimitive.eltwise(backend, count: s.reduce(1, *), op: ops[0])
                primitives.append(prim)
                loads.append { try prim.load() }
                simple(.primitive(prim), "eltwise \(ops[0])")
                return
            }
        }
        fallback(node, at: p)
    }

    /// True when no step reads any output of `node` and none is a graph output.
    func unread(_ node: NodeID) -> Bool {
        var t = 0
        while shapes[ValueKey(node: node, tensor: t)] != nil {
            let v = ValueKey(node: node, tensor: t)
            if uses[v] != nil || graphOutputs.contains(v) { return false }
            t += 1
        }
        return t > 0
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
              !w.layout.channelsFirst, w.poolSize.count == 2, x.allSatisfy({ $0 > 0 }), y.allSatisfy({ $0 > 0 }) else { return false }
        let prim: DNNLPrimitive
        if w.padding == "explicit", let pads = w.pads, pads.before.count == 2, pads.after.count == 2 {
            // Explicit pads (ceil mode: the last window may reach past them, on the right).
            let window = Window2D(kernel: w.poolSize, strides: w.strides, padding: .valid)
            var after = pads.after
            for a in 0..<2 {
                after[a] = (y[a + 1] - 1) * w.strides[a] + w.poolSize[a] - x[a + 1] - pads.before[a]
                guard after[a] >= 0, (after[a] == pads.after[a] || !(w.countIncludePad && !max)) else { return false }
            }
            prim = try DNNLPrimitive.pooling(backend, input: x, output: y, window: window, max: max, padding: (pads.before, after),
                                             includePadding: w.countIncludePad)
        } else {
            guard let pad = WindowPadding(rawValue: w.padding), !w.sameLower || pad != .same else { return false }
            let window = Window2D(kernel: w.poolSize, strides: w.strides, padding: pad)
            guard window.geometry(axis: 0, length: x[1]).out == y[1], window.geometry(axis: 1, length: x[2]).out == y[2] else { return false }
            prim = try DNNLPrimitive.pooling(backend, input: x, output: y, window: window, max: max)
        }
        primitives.append(prim)
        loads.append { try prim.load() }
        add(StepSpec(op: .primitive(prim), node: node, inputs: ins, outputs: [ValueKey(node: node, tensor: 0)], inPlace: nil,
                     description: "\(name(node)): \(max ? "max" : "average") pooling"), at: p)
        return true
    }

    /// A 2-D convolution (plain, depthwise or separable) or a dense layer, and what can be
    /// fused after it. False when the node itself cannot be compiled (it then falls back).
    mutating func compileKernelChain(_ node: NodeID, at p: Int) throws -> Bool {
        let layer = graph.layers[node.layer]
        let padFold = padFolds[node]
        let ins = padFold.map { [$0.input] } ?? args(node)
        guard ins.count == 1, let x = shapes[ins[0]], let y0 = shapes[ValueKey(node: node, tensor: 0)],
              x.allSatisfy({ $0 > 0 }), y0.allSatisfy({ $0 > 0 }) else { return false }
        let w = weights[prefix + layer.name]
        // What the layer is, as a primitive factory and its kernel.
        enum Kind { case conv(Window2D, groups: Int, kernelShape: [Int]), dense(k: Int, units: Int) }
        let kind: Kind
        let useBias: Bool
        let activation: ActivationFunction
        // A separable convolution: a depthwise primitive into a buffer of its own, then the
        // pointwise convolution, which takes the fusions.
        var separable: (window: Window2D, kernelShape: [Int], groups: Int, shape: [Int])?
        switch layer.kind {
        case let c as SeparableConvolutionOp:
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
        case let c as ConvolutionOp:
            guard c.loraRank == nil, c.geometry.rank == 2, !c.geometry.channelsFirst, x.count == 4,
                  c.geometry.pads == nil || padFold == nil,
                  let pad = c.geometry.pads != nil ? .valid : WindowPadding(rawValue: c.geometry.padding),
                  let w, w.count == (c.useBias ? 2 : 1), w[0].shape.count == 4 else { return false }
            kind = .conv(Window2D(kernel: c.geometry.kernelSize, strides: c.geometry.strides, dilation: c.geometry.dilation, padding: pad),
                         groups: c.groups, kernelShape: w[0].shape)
            useBias = c.useBias; activation = c.activation
        case let c as DepthwiseConvolutionOp:
            guard c.geometry.rank == 2, !c.geometry.channelsFirst, x.count == 4,
                  c.geometry.pads == nil || padFold == nil,
                  let pad = c.geometry.pads != nil ? .valid : WindowPadding(rawValue: c.geometry.padding),
                  let w, w.count == (c.useBias ? 2 : 1), w[0].shape.count == 4 else { return false }
            let s = w[0].shape
            kind = .conv(Window2D(kernel: c.geometry.kernelSize, strides: c.geometry.strides, dilation: c.geometry.dilation, padding: pad),
                         groups: s[2], kernelShape: [s[0], s[1], 1, s[2] * s[3]])
            useBias = c.useBias; activation = c.activation
        case let k as DenseOp:
            guard k.loraRank == nil, let w, w.count == (k.useBias ? 2 : 1), w[0].shape.count == 2,
                  x.last == w[0].shape[0] else { return false }
            kind = .dense(k: w[0].shape[0], units: w[0].shape[1])
            useBias = k.useBias; activation = k.activation
        default:
            return false
        }
        // Softmax runs as its own primitive after the kernel, in place; nothing fuses then.
        let softmax = activation == .softmax
        guard let own = softmax ? [] : ExecutionPlan.eltwise(activation), let w else { return false }
        var explicitPadding: (before: [Int], after: [Int])?
        let xMain = separable?.shape ?? x
        // The operator's own per-side pads, or a zero padding node folded in: either way the
        // primitive pads and its window is valid.
        let ownPads = ((layer.kind as? ConvolutionOp)?.geometry.pads ?? (layer.kind as? DepthwiseConvolutionOp)?.geometry.pads)
            .map { (before: $0.before, after: $0.after) }
        if case .conv(let window, _, let ks) = kind {
            if let f = padFold.map({ (before: $0.before, after: $0.after) }) ?? ownPads {
                guard f.before.count == 2, f.after.count == 2 else { return false }
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
            if let k = nl.kind as? BatchNormOp, postOps.isEmpty, args(next).count == 1,
               let affine = ExecutionPlan.batchNormAffine(k, weights: weights[prefix + nl.name], shape: y0) {
                folds.append(affine)
                parts.append("batch normalization folded")
            } else if let f = nl.kind as? TensorFunctionOp, f.function == "add", postOps.isEmpty, args(next).count == 1,
                      let ops = f.operands, ops.count == 2, let held = weights[prefix + nl.name], held.count == 1,
                      (held[0].count == channels && held[0].shape.last == channels) || held[0].count == 1,
                      ops.contains(where: { if case .constant = $0 { return true }; return false }) {
                // A bias added by a node of its own (MatMul then Add): folded into the kernel's bias.
                let b = held[0].count == 1 ? [Double](repeating: Double(held[0].data[0]), count: channels) : held[0].data.map(Double.init)
                folds.append((scale: [Double](repeating: 1, count: channels), shift: b))
                parts.append("bias Add folded")
            } else if let ops = ExecutionPlan.eltwise(layer: nl), args(next).count == 1 {
                postOps += ops.map(PostOp.eltwise)
                parts.append(nl.className)
            } else if (nl.kind as? MergeOp)?.kind == .add, addend == nil, args(next).count == 2,
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
        if padFold != nil { padFolds[node] = nil; parts.insert("zero padding folded", at: 0) }
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
}
