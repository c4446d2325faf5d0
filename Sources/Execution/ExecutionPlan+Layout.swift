import Foundation
import Kernels
import ModelKit

/// The planner's layout choice for graphs written channels first (NCHW, as ONNX files are):
/// the 2-D convolutions and poolings, and what lies between them (activations, per-channel
/// affine steps, element-wise joins, channel concatenations, global poolings), run on
/// channels-last (NHWC) tensors, the layout the oneDNN primitives of the plan use; a
/// transpose is added only where a channels-last tensor meets a node that needs the file's
/// layout (a reshape, a graph output) or the other way round, and a transpose the file
/// itself writes between the two layouts becomes a plain copy.
///
/// The rewrite is a new graph for the builder: the original nodes keep their numbers (so
/// timings and fusions name them), the added transposes come after them, and each is timed
/// as part of the node that reads it.
struct ChannelsLastRewrite {
    var graph: ModelGraph
    var weights: [String: [Tensor]]
    /// For each added transpose (by layer index), the original node its time is counted in.
    var owner: [Int: NodeID]
    /// Original nodes whose work another node now does (the Add, Clip and Mul of a written-out
    /// hard swish), with the node that does it.
    var absorbed: [NodeID: NodeID] = [:]

    /// Logical axis `a` of a rank-4 channels-first tensor in its channels-last storage.
    static func physicalAxis(_ a: Int) -> Int { [0, 3, 1, 2][a] }

    /// The rewrite of `graph` at `inputShapes`, nil when nothing in it gains (no channels-first
    /// 2-D convolution or pooling) or shapes are not all known.
    static func make(_ graph: ModelGraph, weights: [String: [Tensor]], inputShapes: [[Int]]) -> ChannelsLastRewrite? {
        func anchor(_ k: any Operator) -> Bool {
            if let c = k as? ConvolutionOp { return c.geometry.rank == 2 && c.geometry.channelsFirst && c.loraRank == nil }
            if let p = k as? PoolingOp { return p.spatialRank == 2 && p.window.layout.channelsFirst && p.window.padding != "causal" }
            return false
        }
        guard graph.layers.contains(where: { anchor($0.kind) }), inputShapes.count == graph.inputs.count else { return nil }
        let inference = ShapeInference.run(graph, inputShapes: inputShapes.map { TensorShape($0) })
        struct Key: Hashable { var layer: Int; var tensor: Int }
        func shape(_ r: TensorRef) -> [Int]? {
            guard let outs = inference.outputs[r.layer][r.call], r.tensor < outs.count else { return nil }
            let d = outs[r.tensor].dims
            return d.allSatisfy({ $0 != nil }) ? d.map { $0! } : nil
        }
        var layers = graph.layers
        var newWeights = weights
        var channelsLast = Set<Key>()
        var owner: [Int: NodeID] = [:]
        // One transpose per value and direction, shared by the nodes reading it.
        var converted: [Key: [Bool: TensorRef]] = [:]
        func key(_ r: TensorRef) -> Key { Key(layer: r.layer, tensor: r.tensor) }
        func transposed(_ r: TensorRef, toLast: Bool, for node: NodeID) -> TensorRef {
            if let t = converted[key(r)]?[toLast] { return t }
            let perm = toLast ? [0, 2, 3, 1] : [0, 3, 1, 2]
            let op = TensorFunctionOp(name: "Transpose", function: "transpose",
                                      attributes: JSONObject([("perm", .array(perm.map { .number(Double($0)) }))]),
                                      sourceClass: "Transpose", role: .reshape)
            let name = "\(graph.layers[r.layer].name)#\(toLast ? "nhwc" : "nchw")\(r.tensor)"
            layers.append(Layer(name: name, className: "Transpose", kind: op, calls: [[r]], path: "", listed: false))
            let t = TensorRef(layer: layers.count - 1, call: 0, tensor: 0)
            owner[layers.count - 1] = node
            converted[key(r), default: [:]][toLast] = t
            return t
        }
        /// The operands with every argument made by a Constant node turned into a constant
        /// (its tensor among the held ones, in operand order); nil when there is none or one
        /// cannot be read.
        func constantsFolded(_ f: TensorFunctionOp, _ ops: [TensorFunctionOp.Operand], _ args: [TensorRef], held: [Tensor])
            -> (operands: [TensorFunctionOp.Operand], args: [TensorRef], held: [Tensor])? {
            var outOps: [TensorFunctionOp.Operand] = [], outArgs: [TensorRef] = [], outHeld: [Tensor] = []
            var next = 0, k = 0, any = false
            for op in ops {
                switch op {
                case .tensor:
                    guard next < args.count else { return nil }
                    let r = args[next]
                    next += 1
                    let producer = graph.layers[r.layer]
                    if let c = producer.kind as? TensorFunctionOp, c.function == "constant", case .constant(let v)? = c.operands?.first {
                        guard let t = v.tensor(held: weights[producer.name]?.first) else { return nil }
                        outOps.append(.constant(TensorValue(shape: v.shape, floats: t.count <= TensorValue.maxElements ? t.data.map(Double.init) : nil)))
                        outHeld.append(t)
                        any = true
                    } else {
                        outOps.append(op)
                        outArgs.append(r)
                    }
                case .constant(let v):
                    guard k < held.count, held[k].count == v.shape.reduce(1, *) else { return nil }
                    outOps.append(op)
                    outHeld.append(held[k])
                    k += 1
                default:
                    outOps.append(op)
                }
            }
            return any && next == args.count ? (outOps, outArgs, outHeld) : nil
        }
        /// The single number an operand of a function holds (a constant, or a Constant node's
        /// output), nil otherwise.
        func scalar(_ f: TensorFunctionOp, _ operand: Int, _ args: [TensorRef]) -> Double? {
            guard let ops = f.operands, operand < ops.count else { return nil }
            var next = 0
            for (i, op) in ops.enumerated() {
                switch op {
                case .tensor:
                    defer { next += 1 }
                    guard i == operand, next < args.count else { continue }
                    let producer = graph.layers[args[next].layer]
                    guard let c = producer.kind as? TensorFunctionOp, c.function == "constant", case .constant(let v)? = c.operands?.first,
                          v.shape.reduce(1, *) == 1 else { return nil }
                    return v.floats?.first ?? v.ints.flatMap { $0.first.map(Double.init) } ?? weights[producer.name]?.first?.data.first.map(Double.init)
                case .constant(let v) where i == operand:
                    return v.shape.reduce(1, *) == 1 ? (v.floats?.first ?? v.ints.flatMap { $0.first.map(Double.init) }) : nil
                case .scalar(let v) where i == operand:
                    return v
                default:
                    continue
                }
            }
            return nil
        }
        var readers: [Int: Int] = [:]
        for l in graph.layers { for call in l.calls { for r in call { readers[r.layer, default: 0] += 1 } } }
        for r in graph.outputs { readers[r.layer, default: 0] += 1 }
        /// x * relu6(x + 3) / 6 written out as Add, Clip, Mul and Div (exporters of hard swish
        /// before the op existed): (x, the Add, the Clip, the Mul) when `node` is that Div.
        func hardSwish(_ node: NodeID) -> (x: TensorRef, parts: [NodeID])? {
            let d = graph.layers[node.layer]
            guard let div = d.kind as? TensorFunctionOp, div.function == "div", d.calls.count == 1, let m = d.calls[0].first,
                  scalar(div, 1, d.calls[0]) == 6 else { return nil }
            let ml = graph.layers[m.layer]
            guard let mul = ml.kind as? TensorFunctionOp, mul.function == "mul", ml.calls.count == 1, ml.calls[0].count == 2,
                  readers[m.layer] == 1 else { return nil }
            for (ci, xi) in [(0, 1), (1, 0)] {
                let c = ml.calls[0][ci], x = ml.calls[0][xi]
                let cl = graph.layers[c.layer]
                let isRelu6: Bool = {
                    if let a = cl.kind as? ActivationOp { return a.function == .relu6 }
                    if let r = cl.kind as? ReLUOp { return r.maxValue == 6 && r.negativeSlope == 0 && r.threshold == 0 }
                    return false
                }()
                guard isRelu6, readers[c.layer] == 1, cl.calls.count == 1, let sr = cl.calls[0].first else { continue }
                let sl = graph.layers[sr.layer]
                guard let add = sl.kind as? TensorFunctionOp, add.function == "add", sl.calls.count == 1, readers[sr.layer] == 1,
                      sl.calls[0].first == x, scalar(add, 1, sl.calls[0]) == 3 || scalar(add, 0, sl.calls[0]) == 3 else { continue }
                return (x, [NodeID(layer: sr.layer, call: 0), NodeID(layer: c.layer, call: 0), NodeID(layer: m.layer, call: 0)])
            }
            return nil
        }
        /// x * sigmoid(x) written out (SiLU as PyTorch exports it): (x, the Sigmoid) when
        /// `node` is that Mul.
        func swish(_ node: NodeID) -> (x: TensorRef, sigmoid: NodeID)? {
            let m = graph.layers[node.layer]
            guard let mul = m.kind as? TensorFunctionOp, mul.function == "mul", m.calls.count == 1, m.calls[0].count == 2,
                  mul.operands?.count ?? 2 == 2 else { return nil }
            for (si, xi) in [(0, 1), (1, 0)] {
                let sr = m.calls[0][si], x = m.calls[0][xi]
                let sl = graph.layers[sr.layer]
                guard (sl.kind as? ActivationOp)?.function == .sigmoid, readers[sr.layer] == 1, sl.calls.count == 1,
                      sl.calls[0] == [x] else { continue }
                return (x, NodeID(layer: sr.layer, call: 0))
            }
            return nil
        }
        var absorbed: [NodeID: NodeID] = [:]
        var changed = false
        for node in graph.executionOrder {
            // A written-out activation becomes the activation, reading x; its parts go.
            if let (x, function, parts) = swish(node).map({ ($0.x, ActivationFunction.swish, [$0.sigmoid]) })
                ?? hardSwish(node).map({ ($0.x, ActivationFunction.hardSwish, $0.parts) }) {
                var l = layers[node.layer]
                var act = ActivationOp(function: function)
                act.sourceClass = l.kind.sourceClass
                l.kind = act
                l.calls = [[x]]
                layers[node.layer] = l
                for p in parts { absorbed[p] = node }
            }
            var layer = layers[node.layer]
            guard layer.calls.count == 1, !(layer.kind is InputOp) else { continue }
            var args = layer.calls[0]
            // Element-wise functions reading a Constant node's output take it as a constant
            // operand, so the layout choice sees only the computed tensors.
            if let f = layer.kind as? TensorFunctionOp, ["add", "sub", "mul", "div", "maximum", "minimum", "resize"].contains(f.function),
               let ops = f.operands, let folded = constantsFolded(f, ops, args, held: newWeights[layer.name] ?? []) {
                var g = f
                g.operands = folded.operands
                layer.kind = g
                layer.calls = [folded.args]
                newWeights[layer.name] = folded.held
                args = folded.args
                changed = true
            }
            let last = args.map { channelsLast.contains(key($0)) }
            let rank4 = args.map { shape($0)?.count == 4 }
            let outShapes = (inference.outputs[node.layer][0] ?? []).map { $0.dims.allSatisfy { $0 != nil } ? $0.dims.map { $0! } : nil }
            var goLast = false
            var newKind: (any Operator)?
            switch layer.kind {
            case let c as ConvolutionOp where anchor(c) && args.count == 1:
                guard let x = shape(args[0]) else { break }
                var g = ConvolutionGeometry(rank: 2, kernelSize: c.geometry.kernelSize, strides: c.geometry.strides, dilation: c.geometry.dilation,
                                            padding: c.geometry.padding, channelsFirst: false, className: c.geometry.className)
                g.pads = c.geometry.pads
                if c.geometry.padding == "same" && c.geometry.sameLower {
                    let p = Executor.sidePads(c.geometry, spatial: [x[2], x[3]])
                    g = ConvolutionGeometry(rank: 2, kernelSize: g.kernelSize, strides: g.strides, dilation: g.dilation,
                                            pads: SidePadding(before: p.before, after: p.after), channelsFirst: false, className: g.className)
                }
                newKind = ConvolutionOp(geometry: g, filters: c.filters, groups: c.groups, useBias: c.useBias, activation: c.activation, loraRank: nil)
                goLast = true
            case let p as PoolingOp where anchor(p) && args.count == 1:
                var w = PoolingWindow(layout: SpatialLayout(spatialRank: 2, channelsFirst: false), poolSize: p.window.poolSize,
                                      strides: p.window.strides, padding: p.window.padding)
                w.pads = p.window.pads
                w.ceilMode = p.window.ceilMode
                w.countIncludePad = p.window.countIncludePad
                w.sameLower = p.window.sameLower
                newKind = PoolingOp(window: w, reduction: p.reduction, sourceClass: p.sourceClass)
                goLast = true
            case let t as TransposedConvolutionOp where t.geometry.rank == 2 && t.geometry.channelsFirst && args.count == 1 && last.first == true:
                var g = ConvolutionGeometry(rank: 2, kernelSize: t.geometry.kernelSize, strides: t.geometry.strides, dilation: t.geometry.dilation,
                                            padding: t.geometry.padding, channelsFirst: false, className: t.geometry.className)
                g.pads = t.geometry.pads
                g.sameLower = t.geometry.sameLower
                var k = TransposedConvolutionOp(geometry: g, filters: t.filters, outputPadding: t.outputPadding, useBias: t.useBias, activation: t.activation)
                k.sourceClass = t.sourceClass
                newKind = k
                goLast = true
            case is ActivationOp, is ReLUOp:
                goLast = last.first == true
            case let k as BatchNormOp where last.first == true && k.axis.axes == [1]:
                newKind = BatchNormOp(axis: NormalizationAxes(axes: [3], isList: false), center: k.center, scale: k.scale, renorm: k.renorm,
                                      virtualBatch: k.virtualBatch, epsilon: k.epsilon)
                goLast = true
            case let f as TensorFunctionOp where last.contains(true) && rank4.allSatisfy({ $0 }):
                let tensors = args.count
                switch f.function {
                case "add", "sub", "mul", "div", "maximum", "minimum":
                    guard let ops = (layer.kind as? TensorFunctionOp)?.operands ?? f.operands, let out = outShapes.first ?? nil, out.count == 4 else { break }
                    let held = newWeights[layer.name] ?? []
                    var constants: [Tensor] = []
                    var k = 0
                    var fits = true
                    for op in ops {
                        guard case .constant(let v) = op else { continue }
                        defer { k += 1 }
                        guard v.shape.count <= 4 else { fits = false; break }
                        guard let t = v.tensor(held: k < held.count ? held[k] : nil) else { fits = false; break }
                        constants.append(t)
                    }
                    guard fits, k == held.count || held.isEmpty || k >= held.count else { break }
                    let c = out[1]
                    // x op per-channel constant: a per-channel affine step (folded into a
                    // convolution before it).
                    if tensors == 1, constants.count == 1, ops.count == 2, ["add", "sub", "mul", "div"].contains(f.function),
                       let x = shape(args[0]), x == out,
                       [[c], [c, 1, 1], [1, c, 1, 1]].contains(constants[0].shape) || constants[0].count == 1 {
                        let v = constants[0].count == 1 ? [Float](repeating: constants[0].data[0], count: c) : constants[0].data
                        let xFirst: Bool = { if case .tensor = ops[0] { return true }; return false }()
                        guard xFirst || f.function == "add" || f.function == "mul" else { break }
                        var gamma = [Float](repeating: 1, count: c), beta = [Float](repeating: 0, count: c)
                        switch f.function {
                        case "add": beta = v
                        case "sub": beta = v.map { -$0 }
                        case "mul": gamma = v
                        default: gamma = v.map { 1 / $0 }
                        }
                        newKind = BatchNormOp(axis: NormalizationAxes(axes: [3], isList: false), center: true, scale: true, renorm: false,
                                              virtualBatch: false, epsilon: 0)
                        newWeights[layer.name] = [Tensor(shape: [c], data: gamma), Tensor(shape: [c], data: beta),
                                                  Tensor(shape: [c], data: [Float](repeating: 0, count: c)),
                                                  Tensor(shape: [c], data: [Float](repeating: 1, count: c))]
                        goLast = true
                        break
                    }
                    // Two tensors of one shape: a merge (the plan's buffer loop, or a sum post-op).
                    if tensors == 2, constants.isEmpty, ops.count == 2, let a = shape(args[0]), a == shape(args[1]), a == out,
                       f.function != "div" {
                        let kind: MergeOp.Kind = switch f.function {
                        case "add": .add
                        case "sub": .subtract
                        case "mul": .multiply
                        case "maximum": .maximum
                        default: .minimum
                        }
                        newKind = MergeOp(kind: kind, sourceClass: f.sourceClass)
                        goLast = true
                        break
                    }
                    // Otherwise the function itself on channels-last tensors, its constants moved too.
                    var g = f
                    var moved: [Tensor] = []
                    var j = 0
                    g.operands = ops.map { op in
                        guard case .constant = op else { return op }
                        let t = constants[j]
                        j += 1
                        let four = Tensor(shape: [Int](repeating: 1, count: 4 - t.shape.count) + t.shape, data: t.data).permuted([0, 2, 3, 1])
                        moved.append(four)
                        return .constant(TensorValue(shape: four.shape, floats: four.count <= TensorValue.maxElements ? four.data.map(Double.init) : nil))
                    }
                    if !moved.isEmpty { newWeights[layer.name] = moved }
                    newKind = g
                    goLast = true
                case "pad":
                    // Zeros around the spatial axes only: a zero padding (folded into a
                    // following convolution).
                    guard tensors == 1, (f.argument("mode")?.stringValue ?? "constant") == "constant", let ops = f.operands else { break }
                    var pads = f.intList("pads")
                    var zero = true
                    for (i, op) in ops.enumerated() where i > 0 {
                        guard case .constant(let v) = op else {
                            if case .absent = op { continue }
                            zero = false; break
                        }
                        if i == 1 { pads = v.ints }
                        else if i == 2 { zero = zero && (v.ints.map { $0.allSatisfy { $0 == 0 } } ?? v.floats.map { $0.allSatisfy { $0 == 0 } } ?? false) }
                        else { zero = false }
                    }
                    guard zero, let p = pads, p.count == 8, p.allSatisfy({ $0 >= 0 }), p[0] == 0, p[1] == 0, p[4] == 0, p[5] == 0 else { break }
                    var z = ZeroPaddingOp(layout: SpatialLayout(spatialRank: 2, channelsFirst: false),
                                          amounts: EdgeAmounts(pairs: [(p[2], p[6]), (p[3], p[7])]))
                    z.sourceClass = f.sourceClass
                    newKind = z
                    newWeights[layer.name] = nil
                    goLast = true
                case "split":
                    guard tensors == 1, let n = NDArray.axis(f.argument("axis")?.intValue ?? 0, 4) else { break }
                    var g = f
                    g.attributes = JSONObject(f.attributes.entries.filter { $0.key != "axis" } + [("axis", .number(Double(physicalAxis(n))))])
                    newKind = g
                    goLast = true
                case "resize":
                    // Scales or sizes per axis, moved like the axes; the rest of the call as it is.
                    guard tensors == 1, f.argument("axes") == nil, let ops = f.operands else { break }
                    let held = newWeights[layer.name] ?? []
                    var g = f, moved: [Tensor] = [], k = 0, fits = true
                    g.operands = ops.enumerated().map { i, op in
                        guard case .constant(let v) = op else { return op }
                        defer { k += 1 }
                        guard k < held.count, held[k].count == v.shape.reduce(1, *) else { fits = false; return op }
                        var t = held[k]
                        if (i == 2 || i == 3), t.count == 4 {
                            t = Tensor(shape: t.shape, data: [0, 2, 3, 1].map { t.data[$0] })
                            moved.append(t)
                            return .constant(TensorValue(shape: v.shape, floats: t.data.map(Double.init)))
                        }
                        moved.append(t)
                        return op
                    }
                    guard fits, k == held.count else { break }
                    newWeights[layer.name] = moved
                    newKind = g
                    goLast = true
                case "concat":
                    guard let a = f.argument("axis")?.intValue, let n = NDArray.axis(a, 4), f.operands?.allSatisfy({
                        if case .tensor = $0 { return true }; return false }) ?? true else { break }
                    newKind = ConcatOp(axis: physicalAxis(n))
                    goLast = true
                case "mean", "max":
                    // A global pooling over the spatial axes, keeping them.
                    guard f.argument("axis_from")?.intValue == 2, (f.argument("keepdims")?.intValue ?? 0) != 0, tensors == 1 else { break }
                    newKind = GlobalPoolingOp(reduction: GlobalPoolingReduction(layout: SpatialLayout(spatialRank: 2, channelsFirst: false), keepDims: true),
                                              kind: f.function == "mean" ? .average : .max, sourceClass: f.sourceClass)
                    goLast = true
                case "transpose":
                    // The file's own move to channels last: the storage already is.
                    if f.intList("perm") == [0, 2, 3, 1], last.first == true {
                        newKind = PassthroughOp(category: .reshape, sourceClass: f.sourceClass)
                        layer.kind = newKind!
                        layers[node.layer] = layer
                        changed = true
                        continue
                    }
                default:
                    break
                }
            case let f as TensorFunctionOp where f.function == "transpose" && f.intList("perm") == [0, 3, 1, 2] && rank4.first == true
                && last.first == false && args.count == 1:
                // The file's move from channels last: the data already is stored that way.
                layer.kind = PassthroughOp(category: .reshape, sourceClass: f.sourceClass)
                layers[node.layer] = layer
                for t in 0..<max(outShapes.count, 1) { channelsLast.insert(Key(layer: node.layer, tensor: t)) }
                changed = true
                continue
            default:
                break
            }
            // Arguments in the layout the node runs in.
            var calls = args
            for (i, r) in args.enumerated() where rank4[i] && last[i] != goLast {
                calls[i] = transposed(r, toLast: goLast, for: node)
            }
            if goLast && !rank4.allSatisfy({ $0 }) { goLast = false; calls = args }
            if calls != args || newKind != nil { changed = true }
            layer.calls = [calls]
            if let newKind { layer.kind = newKind }
            layers[node.layer] = layer
            if goLast {
                for t in 0..<max(outShapes.count, 1) { channelsLast.insert(Key(layer: node.layer, tensor: t)) }
            }
        }
        guard changed else { return nil }
        var outputs = graph.outputs
        for (i, r) in outputs.enumerated() where channelsLast.contains(key(r)) {
            outputs[i] = transposed(r, toLast: false, for: NodeID(layer: r.layer, call: r.call))
        }
        // Each added transpose runs right before the node it is timed with (an output's, right
        // after the node making it), so the plan's steps of one node stay together.
        var before: [NodeID: [Int]] = [:], after: [NodeID: [Int]] = [:]
        let outputTransposes = Set(outputs.filter { $0.layer >= graph.layers.count }.map(\.layer))
        for (i, node) in owner.sorted(by: { $0.key < $1.key }) {
            if outputTransposes.contains(i) { after[node, default: []].append(i) } else { before[node, default: []].append(i) }
        }
        // Nodes nothing reads any more (the parts of a hard swish) are left out of the order.
        var live = Set(outputs.map(\.layer))
        var stack = Array(live)
        while let l = stack.popLast() {
            for call in layers[l].calls { for r in call where !live.contains(r.layer) { live.insert(r.layer); stack.append(r.layer) } }
        }
        for r in graph.inputs { live.insert(r.layer) }
        var order: [NodeID] = []
        for node in graph.executionOrder where live.contains(node.layer) || absorbed[node] == nil {
            order += (before[node] ?? []).map { NodeID(layer: $0, call: 0) }
            order.append(node)
            order += (after[node] ?? []).map { NodeID(layer: $0, call: 0) }
        }
        var g = graph
        g.layers = layers
        g.outputs = outputs
        g.executionOrder = order
        var rewrite = ChannelsLastRewrite(graph: g, weights: newWeights, owner: owner)
        rewrite.absorbed = absorbed.filter { !live.contains($0.key.layer) }
        return rewrite
    }
}
