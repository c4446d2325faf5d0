import Foundation
import ModelKit
import Tensors

// The builders of the op table that need more than a function name: layers whose weights
// the file holds (transposed here into the engine's layouts), ops whose older opsets keep
// as attributes what newer ones take as inputs, and control flow.
extension ONNXOperators {
    /// A held tensor used as a weight: counted (when an initializer) and loaded for the
    /// engine through `transform` into the canonical layout (`layout` names it).
    static func weight(_ ctx: Context, _ held: (name: String, proto: Onnx_TensorProto, initializer: Bool), layout: String = "",
                       trainable: Bool = true, shape: [Int]? = nil, transform: (@Sendable (Tensor) -> Tensor)? = nil) throws -> WeightUse {
        let reader = ctx.reader.tensors
        let place = ctx.place
        let t = held.proto
        let stored = try reader.dims(t, place)
        let key = layout.isEmpty ? held.name : "\(held.name)@\(layout)"
        let canonical = Initializer(name: held.name, shape: shape ?? stored, dtype: ONNXElementType.dtype(t.dataType), layout: layout) {
            let tensor = try reader.tensor(t, place)
            return transform.map { $0(tensor) } ?? tensor
        }
        return WeightUse(name: held.name, key: key, canonical: canonical, countable: held.initializer, trainable: trainable)
    }

    /// The attributes of a window op: kernel from `kernel_shape` (or the weight), strides,
    /// dilations, and the padding as a mode or explicit amounts.
    static func window(_ node: ONNXNode, kernel: [Int]) throws -> (strides: [Int], dilation: [Int], padding: String, pads: SidePadding?) {
        let rank = kernel.count
        let strides = node.ints("strides") ?? Array(repeating: 1, count: rank)
        let dilation = node.ints("dilations") ?? Array(repeating: 1, count: rank)
        guard strides.count == rank, dilation.count == rank, strides.allSatisfy({ $0 > 0 }), dilation.allSatisfy({ $0 > 0 }),
              kernel.allSatisfy({ $0 > 0 }) else {
            throw StrataError(place: node.place, "kernel \(kernel), strides \(strides) and dilations \(dilation) do not fit together (each must have \(rank) positive entries)")
        }
        switch node.string("auto_pad") ?? "NOTSET" {
        case "SAME_UPPER", "SAME_LOWER": return (strides, dilation, "same", nil)
        case "VALID": return (strides, dilation, "valid", nil)
        default:
            let pads = node.ints("pads") ?? Array(repeating: 0, count: 2 * rank)
            guard pads.count == 2 * rank, pads.allSatisfy({ $0 >= 0 }) else {
                throw StrataError(place: node.place, "pads \(pads) do not fit a window of rank \(rank) (\(2 * rank) non-negative amounts expected)")
            }
            if pads.allSatisfy({ $0 == 0 }) { return (strides, dilation, "valid", nil) }
            return (strides, dilation, "explicit", SidePadding(before: Array(pads[..<rank]), after: Array(pads[rank...])))
        }
    }

    /// A window op's attributes under the neutral keys of the `convolution` function.
    static func windowAttributes(_ node: ONNXNode) -> JSONObject {
        var pads: [Int]? = node.ints("pads")
        let auto = node.string("auto_pad") ?? "NOTSET"
        if auto != "NOTSET" { pads = nil }
        return json([("kernel", numList(node.ints("kernel_shape"))), ("strides", numList(node.ints("strides"))),
                     ("dilations", numList(node.ints("dilations"))), ("pads", numList(pads)),
                     ("padding", .string(auto.hasPrefix("SAME") ? "same" : auto == "VALID" ? "valid" : "explicit")),
                     ("group", num(node.int("group"))), ("same_lower", auto == "SAME_LOWER" ? .bool(true) : nil)])
    }

    /// The window of a convolution node (channels first), from its attributes and kernel.
    static func convolutionGeometry(_ node: ONNXNode, kernel: [Int]) throws -> ConvolutionGeometry {
        let (strides, dilation, padding, pads) = try window(node, kernel: kernel)
        var geometry = ConvolutionGeometry(rank: kernel.count, kernelSize: kernel, strides: strides, dilation: dilation, padding: padding,
                                           channelsFirst: true, className: node.qualifiedType)
        geometry.pads = pads
        geometry.sameLower = node.string("auto_pad") == "SAME_LOWER"
        return geometry
    }

    /// `(O, I/g, k...)` to `(k..., I/g, O)`.
    static func spatialFirst(_ rank: Int) -> [Int] { Array(2..<(rank + 2)) + [1, 0] }

    static let convolution: Builder = { ctx in
        let node = ctx.node
        let x = try ctx.tensor(0, "input")
        guard let w = ctx.reader.heldTensor(node.input(1)) else {
            // Weights computed by the graph (dequantized, or from a custom op): the shape
            // follows from the window attributes and, when known, the weight's shape.
            return try function(&ctx, "convolution", role: .kernel, attributes: windowAttributes(node))
        }
        let wShape = try ctx.reader.tensors.dims(w.proto, ctx.place)
        guard wShape.count >= 3, wShape.count <= 5 else { throw ctx.fail("weight \"\(ONNXNames.short(w.name))\" has shape \(wShape); a convolution weight has rank 3 to 5 (out, in/groups, kernel...)") }
        let rank = wShape.count - 2
        let kernel = node.ints("kernel_shape") ?? Array(wShape[2...])
        guard kernel == Array(wShape[2...]) else { throw ctx.fail("kernel_shape \(kernel) differs from the weight's \(Array(wShape[2...]))") }
        let geometry = try convolutionGeometry(node, kernel: kernel)
        let groups = node.int("group") ?? 1
        guard groups >= 1, wShape[0] % groups == 0 else { throw ctx.fail("group \(groups) does not divide the \(wShape[0]) output channels") }
        var act = ActivationFunction.linear
        if node.domain == "com.microsoft", let a = node.string("activation") {
            switch a {
            case "Relu": act = .relu
            case "Sigmoid": act = .sigmoid
            case "Tanh": act = .tanh
            case "LeakyRelu": act = .leakyReLU(slope: Double(node.floats("activation_params")?.first ?? 0.01))
            case "HardSigmoid": act = .hardSigmoid(slope: node.floats("activation_params")?.first ?? 0.2, offset: node.floats("activation_params")?.dropFirst().first ?? 0.5)
            default: act = .other(a)
            }
        }
        let bias = node.opType == "ConvInteger" ? nil : ctx.reader.heldTensor(node.input(2))
        let op = ConvolutionOp(geometry: geometry, filters: wShape[0], groups: groups, useBias: bias != nil, activation: act, loraRank: nil)
        let perm = spatialFirst(rank)
        var m = MappedNode(op: op, tensorInputs: [x])
        m.weights.append(try weight(ctx, w, layout: rank == 2 ? "HWIO" : "spatial-in-out", shape: perm.map { wShape[$0] }) { $0.permuted(perm) })
        if let bias { m.weights.append(try weight(ctx, bias)) }
        if case .tensor(let n) = node.input(2), bias == nil, node.opType != "ConvInteger" { m.tensorInputs.append(n) }
        return m
    }

    static let quantizedConvolution: Builder = { ctx in
        // x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, B.
        let node = ctx.node
        let x = try ctx.tensor(0, "input")
        guard let w = ctx.reader.heldTensor(node.input(3)) else { return try function(&ctx, "convolution", role: .kernel) }
        let wShape = try ctx.reader.tensors.dims(w.proto, ctx.place)
        guard wShape.count >= 3 else { throw ctx.fail("weight \"\(ONNXNames.short(w.name))\" has shape \(wShape)") }
        let kernel = Array(wShape[2...])
        let geometry = try convolutionGeometry(node, kernel: kernel)
        let groups = node.int("group") ?? 1
        let op = ConvolutionOp(geometry: geometry, filters: wShape[0], groups: groups, useBias: node.input(8).name != nil, activation: .linear, loraRank: nil)
        var m = MappedNode(op: op, tensorInputs: [x])
        for i in [1, 2, 3, 4, 5, 6, 7, 8] {
            if let held = ctx.reader.heldTensor(node.input(i)) { m.weights.append(try weight(ctx, held)) }
        }
        return m
    }

    static let transposedConvolution: Builder = { ctx in
        let node = ctx.node
        let x = try ctx.tensor(0, "input")
        guard let w = ctx.reader.heldTensor(node.input(1)) else { return try function(&ctx, "transposed_convolution", role: .kernel) }
        let wShape = try ctx.reader.tensors.dims(w.proto, ctx.place)
        guard wShape.count >= 3, wShape.count <= 5 else { throw ctx.fail("weight \"\(ONNXNames.short(w.name))\" has shape \(wShape); a transposed convolution weight has rank 3 to 5 (in, out/groups, kernel...)") }
        let groups = node.int("group") ?? 1
        guard groups == 1 else { return try function(&ctx, "transposed_convolution", role: .kernel) }
        let kernel = Array(wShape[2...])
        let geometry = try convolutionGeometry(node, kernel: kernel)
        guard node.ints("output_shape") == nil else { return try function(&ctx, "transposed_convolution", role: .kernel) }
        let outputPadding = node.ints("output_padding")
        let bias = ctx.reader.heldTensor(node.input(2))
        let op = TransposedConvolutionOp(geometry: geometry, filters: wShape[1], outputPadding: outputPadding ?? (geometry.padding == "same" ? nil : Array(repeating: 0, count: kernel.count)),
                                         useBias: bias != nil, activation: .linear)
        // (I, O, k...) to (k..., O, I), the engine's transposed-kernel layout.
        let perm = Array(2..<wShape.count) + [1, 0]
        var m = MappedNode(op: op, tensorInputs: [x])
        m.weights.append(try weight(ctx, w, layout: "spatial-out-in", shape: perm.map { wShape[$0] }) { $0.permuted(perm) })
        if let bias { m.weights.append(try weight(ctx, bias)) }
        return m
    }

    /// `Y = alpha * A' B' + beta * C`: a dense layer when A is a graph tensor, B is held and C
    /// (if any) a per-output bias; otherwise a matrix-product function.
    static let gemm: Builder = { ctx in
        let node = ctx.node
        let a = try ctx.tensor(0, "A")
        let transA = node.int("transA") ?? 0, transB = node.int("transB") ?? 0
        let alpha = Float(node.float("alpha") ?? 1), beta = Float(node.float("beta") ?? 1)
        guard transA == 0, let b = ctx.reader.heldTensor(node.input(1)) else { return try function(&ctx, "gemm", role: .kernel, attributes: json([("transA", num(transA)), ("transB", num(transB))])) }
        let bShape = try ctx.reader.tensors.dims(b.proto, ctx.place)
        guard bShape.count == 2 else { throw ctx.fail("B \"\(ONNXNames.short(b.name))\" has shape \(bShape), not a matrix") }
        let (k, n) = transB != 0 ? (bShape[1], bShape[0]) : (bShape[0], bShape[1])
        var bias = ctx.reader.heldTensor(node.input(2))
        if let c = bias {
            let cShape = try ctx.reader.tensors.dims(c.proto, ctx.place)
            if checkedProduct(cShape) != n && checkedProduct(cShape) != 1 { bias = nil }
        }
        if node.input(2).name != nil && bias == nil { return try function(&ctx, "gemm", role: .kernel, attributes: json([("transA", num(transA)), ("transB", num(transB))])) }
        var act = ActivationFunction.linear
        if node.domain == "com.microsoft", node.string("activation") == "Relu" { act = .relu }
        let op = DenseOp(units: n, useBias: bias != nil, activation: act, loraRank: nil)
        var m = MappedNode(op: op, tensorInputs: [a])
        m.weights.append(try weight(ctx, b, layout: "IO", shape: [k, n]) { t in
            var out = transB != 0 ? t.permuted([1, 0]) : t
            if alpha != 1 { for i in out.data.indices { out.data[i] *= alpha } }
            return out
        })
        if let bias {
            m.weights.append(try weight(ctx, bias, shape: [n]) { t in
                Tensor(shape: [n], data: t.count == 1 ? Array(repeating: t.data[0] * beta, count: n) : t.data.map { $0 * beta })
            })
        }
        return m
    }

    /// A product with a held matrix on the right: a dense layer without bias.
    static let matmul: Builder = { ctx in
        let node = ctx.node
        if case .tensor(let a) = node.input(0), let b = ctx.reader.heldTensor(node.input(1)) {
            let bShape = try ctx.reader.tensors.dims(b.proto, ctx.place)
            if bShape.count == 2 {
                var m = MappedNode(op: DenseOp(units: bShape[1], useBias: false, activation: .linear, loraRank: nil), tensorInputs: [a])
                m.weights.append(try weight(ctx, b, layout: "IO"))
                return m
            }
        }
        return try function(&ctx, "matmul", role: .kernel)
    }

    static let batchNormalization: Builder = { ctx in
        let node = ctx.node
        let x = try ctx.tensor(0, "input")
        let held = (1...4).map { ctx.reader.heldTensor(node.input($0)) }
        guard held.allSatisfy({ $0 != nil }) else { return try function(&ctx, "batch_normalization", role: .normalization, inputs: 0..<5) }
        let op = BatchNormOp(axis: NormalizationAxes(axes: [1], isList: false), center: true, scale: true, renorm: false, virtualBatch: false,
                             epsilon: node.float("epsilon") ?? 1e-5)
        var m = MappedNode(op: op, tensorInputs: [x])
        // Scale and offset are learned; the mean and variance are statistics.
        for (i, h) in held.enumerated() { m.weights.append(try weight(ctx, h!, trainable: i < 2)) }
        return m
    }

    static func recurrent(gates: Int, _ name: String) -> Builder {
        { ctx in
            let node = ctx.node
            let directions = node.string("direction") == "bidirectional" ? 2 : 1
            var m = try function(&ctx, name, role: .kernel, attributes: json([
                ("hidden_size", num(node.int("hidden_size"))), ("directions", num(directions)), ("gates", num(gates)),
                ("layout", num(node.int("layout") ?? 0)), ("outputs", num(node.outputCount)),
                ("direction", node.string("direction").map { .string($0) }),
            ]))
            if node.int("hidden_size") == nil { throw ctx.fail("has no hidden_size") }
            m.op.sourceClass = node.qualifiedType
            return m
        }
    }

    static func normalization(_ name: String) -> Builder {
        { ctx in
            let node = ctx.node
            return try function(&ctx, name, role: .normalization, attributes: json([
                ("axis", num(node.int("axis"))), ("epsilon", node.float("epsilon").map { .number($0) }),
            ]))
        }
    }

    static func pooling(_ reduction: PoolingOp.Reduction) -> Builder {
        { ctx in
            let node = ctx.node
            let x = try ctx.tensor(0, "input")
            guard let kernel = node.ints("kernel_shape"), !kernel.isEmpty, kernel.count <= 3 else { throw ctx.fail("has no usable kernel_shape (\(node.ints("kernel_shape") ?? []))") }
            let (strides, dilation, padding, pads) = try window(node, kernel: kernel)
            guard dilation.allSatisfy({ $0 == 1 }), node.outputCount == 1 else {
                // Dilated windows, or MaxPool's second output (the indices): a pooling function.
                return try function(&ctx, reduction == .max ? "max_pool" : "average_pool", role: .pooling)
            }
            var w = PoolingWindow(layout: SpatialLayout(spatialRank: kernel.count, channelsFirst: true), poolSize: kernel, strides: strides,
                                  padding: padding)
            w.pads = pads
            w.ceilMode = (node.int("ceil_mode") ?? 0) != 0
            if w.ceilMode && pads == nil && padding == "valid" {
                w = PoolingWindow(layout: w.layout, poolSize: kernel, strides: strides, padding: "explicit")
                w.pads = SidePadding(before: Array(repeating: 0, count: kernel.count), after: Array(repeating: 0, count: kernel.count))
                w.ceilMode = true
            }
            w.countIncludePad = (node.int("count_include_pad") ?? 0) != 0
            w.sameLower = node.string("auto_pad") == "SAME_LOWER"
            return MappedNode(op: PoolingOp(window: w, reduction: reduction, sourceClass: node.qualifiedType), tensorInputs: [x])
        }
    }

    /// Clip to [0, 6] or [0, ∞) is a ReLU6 or ReLU; other bounds stay a function.
    static let clip: Builder = { ctx in
        let node = ctx.node
        var lo: Double?, hi: Double?
        if node.opset < 11 {
            lo = node.float("min"); hi = node.float("max")
        } else {
            lo = ctx.reader.heldTensor(node.input(1)).flatMap { try? ctx.reader.tensors.value($0.proto, ctx.place).doubles?.first }
            hi = ctx.reader.heldTensor(node.input(2)).flatMap { try? ctx.reader.tensors.value($0.proto, ctx.place).doubles?.first }
            if node.input(1).name != nil && lo == nil || node.input(2).name != nil && hi == nil { return try function(&ctx, "clip", role: .activation) }
        }
        if lo == 0 && hi == 6 { return try activation(.relu6)(&ctx) }
        if lo == 0 && hi == nil { return try activation(.relu)(&ctx) }
        return try function(&ctx, "clip", role: .activation, attributes: json([("min", lo.map { .number($0) }), ("max", hi.map { .number($0) })]), inputs: 0..<1)
    }

    static let softmax: Builder = { ctx in
        let node = ctx.node
        let axis = node.int("axis") ?? (node.opset >= 13 ? -1 : 1)
        var op = SoftmaxOp(axes: [axis])
        op.sourceClass = node.qualifiedType
        if node.opset < 13 && axis != -1 {
            // Before opset 13 the input is flattened to 2-D at the axis: the same shape, another sum.
            return try function(&ctx, "softmax", role: .activation, attributes: json([("axis", num(axis)), ("flatten", .number(1))]))
        }
        return MappedNode(op: op, tensorInputs: [try ctx.tensor(0, "input")])
    }

    static let constantNode: Builder = { ctx in
        let node = ctx.node
        let value: TensorValue
        if let t = node.attributes["value"], t.hasT {
            value = try ctx.reader.tensors.value(t.t, ctx.place)
        } else if let v = node.ints("value_ints") {
            value = TensorValue(ints: v)
        } else if let v = node.int("value_int") {
            value = TensorValue(scalar: .known(v))
        } else if let v = node.floats("value_floats") {
            value = TensorValue(shape: [v.count], floats: v)
        } else if let v = node.float("value_float") {
            value = TensorValue(shape: [], floats: [v])
        } else {
            throw ctx.fail("holds no value Strata can read (sparse_value and strings are not supported)")
        }
        var m = MappedNode(op: TensorFunctionOp(name: "Constant", function: "constant", operands: [.constant(value)], sourceClass: "Constant"), tensorInputs: [])
        // The engine reads a tensor value from the file (its contents are kept in the value
        // only when small); not a parameter.
        if let t = node.attributes["value"], t.hasT, let out = node.proto.output.first {
            m.weights.append(WeightUse(name: out, key: out, canonical: ctx.reader.rawInitializer(out, t.t, ctx.place), countable: false))
        }
        return m
    }

    static let gather: Builder = { ctx in
        let node = ctx.node
        // A held table looked up by index: an embedding.
        let role: LayerCategory = { if case .initializer(_, let t) = node.input(0), ONNXElementType.isFloat(t.dataType) { return .embedding }; return .other }()
        return try function(&ctx, "gather", role: role, attributes: json([("axis", num(node.int("axis") ?? 0))]))
    }

    static let slice: Builder = { ctx in
        let node = ctx.node
        if node.opset < 10 {
            return try function(&ctx, "slice", role: .reshape,
                                extra: [constant(node.ints("starts")), constant(node.ints("ends")), constant(node.ints("axes"))], inputs: 0..<1)
        }
        return try function(&ctx, "slice", role: .reshape)
    }

    static func axesOp(_ name: String) -> Builder {
        { ctx in
            let node = ctx.node
            if node.opset < 13 {
                return try function(&ctx, name, role: .reshape, attributes: json([("axis", numList(node.ints("axes")))]), inputs: 0..<1)
            }
            return try function(&ctx, name, role: .reshape)
        }
    }

    static let constantOfShape: Builder = { ctx in
        let node = ctx.node
        var fill: JSONValue?
        if let t = node.attributes["value"], t.hasT, let v = try? ctx.reader.tensors.value(t.t, ctx.place).doubles?.first { fill = .number(v) }
        return try function(&ctx, "constant_of_shape", attributes: json([("value", fill)]))
    }

    static let pad: Builder = { ctx in
        let node = ctx.node
        if node.opset < 11 {
            return try function(&ctx, "pad", role: .reshape, attributes: json([("pads", numList(node.ints("pads") ?? node.ints("paddings")))]), inputs: 0..<1)
        }
        return try function(&ctx, "pad", role: .reshape)
    }

    static let resize: Builder = { ctx in
        let node = ctx.node
        if node.opType == "Upsample", let scales = node.floats("scales") {
            // Upsample-7: the scales as an attribute.
            return try function(&ctx, "resize", role: .reshape, extra: [.absent, .constant(TensorValue(shape: [scales.count], floats: scales))], inputs: 0..<1)
        }
        if node.opType == "Upsample" || node.opset < 11 {
            // Upsample-9 and Resize-10: X, scales; Resize-11 on: X, roi, scales, sizes.
            return try function(&ctx, "resize", role: .reshape, inputs: 0..<2).withOperands { ops in
                [ops[0], .absent] + ops.dropFirst()
            }
        }
        return try function(&ctx, "resize", role: .reshape, attributes: json([("axes", numList(node.ints("axes")))]))
    }

    static let split: Builder = { ctx in
        let node = ctx.node
        let axis = num(node.int("axis") ?? 0)
        if node.opset < 13, let sizes = node.ints("split") {
            return try function(&ctx, "split", role: .reshape, attributes: json([("axis", axis), ("split", numList(sizes))]), inputs: 0..<1)
        }
        return try function(&ctx, "split", role: .reshape, attributes: json([("axis", axis), ("outputs", num(node.outputCount))]))
    }

    static func reduction(_ name: String, axesAsInput: Int) -> Builder {
        { ctx in
            let node = ctx.node
            let keep = node.int("keepdims") ?? 1
            var attrs = json([("keepdims", num(keep)), ("noop_with_empty_axes", num(node.int("noop_with_empty_axes")))])
            if node.opset < axesAsInput {
                if let axes = node.ints("axes") { attrs.append("axis", numList(axes)!) }
                return try function(&ctx, name, role: .other, attributes: attrs, inputs: 0..<1)
            }
            return try function(&ctx, name, role: .other, attributes: attrs)
        }
    }

    static func argReduction(_ name: String) -> Builder {
        { ctx in
            let node = ctx.node
            return try function(&ctx, name, attributes: json([("axis", num(node.int("axis") ?? 0)), ("keepdims", num(node.int("keepdims") ?? 1))]))
        }
    }

    static func controlFlow(_ kind: ControlFlowOp.Kind) -> Builder {
        { ctx in
            let node = ctx.node
            let labels: [String] = kind == .branch ? ["then_branch", "else_branch"] : ["body"]
            var graphs: [ModelGraph] = []
            var capturedNames: [[String]] = []
            for label in labels {
                guard let a = node.attributes[label], a.hasG else { throw ctx.fail("has no \(label) graph") }
                let (g, caps, tallies) = try ctx.reader.readSubgraph(a.g, label: label, place: ctx.place)
                graphs.append(g)
                capturedNames.append(caps)
                // Weights inside a body are not the main graph's: shown, counted apart.
                if tallies.ownFloat != 0 { ctx.tallies.subgraphFloat.add("\(ONNXNames.short(node.proto.name)).\(label)", tallies.ownFloat) }
            }
            let args = try ctx.reader.graphArguments(node)
            var tensorInputs = args.tensorInputs
            var captured: [[Int]] = []
            for caps in capturedNames {
                captured.append(caps.map { name in
                    tensorInputs.append(name)
                    return tensorInputs.count - 1
                })
            }
            var op = ControlFlowOp(kind: kind, graphs: graphs, labels: labels, formal: args.formal, captured: captured, outputCount: node.outputCount)
            if kind == .scan {
                op.scanInputs = node.int("num_scan_inputs") ?? 0
                op.scanInputDirections = node.ints("scan_input_directions") ?? []
                op.scanOutputDirections = node.ints("scan_output_directions") ?? []
                op.scanInputAxes = node.ints("scan_input_axes") ?? []
                op.scanOutputAxes = node.ints("scan_output_axes") ?? []
            }
            op.heldArguments = args.held
            var m = MappedNode(op: op, tensorInputs: tensorInputs)
            m.weights = args.weights
            return m
        }
    }
}

extension MappedNode {
    /// The same node with its function's operands rewritten.
    func withOperands(_ f: ([TensorFunctionOp.Operand]) throws -> [TensorFunctionOp.Operand]) rethrows -> MappedNode {
        guard var op = self.op as? TensorFunctionOp, let ops = op.operands else { return self }
        op.operands = try f(ops)
        var m = self
        m.op = op
        return m
    }
}
