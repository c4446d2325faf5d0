import Foundation
import ModelKit
import Tensors

/// The result of mapping one node: the operator, the graph tensors it takes as call
/// arguments (by name, in order) and the tensors the file holds that it uses as weights or
/// constant operands.
struct MappedNode {
    var op: any Operator
    var tensorInputs: [String]
    var weights: [WeightUse] = []
}

/// One tensor held by the file that a node uses.
struct WeightUse {
    /// The tensor's name in the file.
    var name: String
    /// Its key among the graph's initializers (the name, with the layout for a transposed copy).
    var key: String
    /// The loader of the engine's copy.
    var canonical: Initializer?
    /// False for constants that are not parameters (a Constant node's output, shape lists).
    var countable: Bool = true
    var trainable: Bool = true
}

/// ONNX op types onto Strata's operators. Real layers (convolutions, dense products, batch
/// normalization, pooling, activations) map onto the operators the Keras catalog uses, with
/// their weights transposed into the canonical layouts for the engine; the array functions
/// (shape arithmetic, reshapes, slices, element-wise math) onto `TensorFunctionOp` with neutral
/// names and attribute keys; If, Loop and Scan onto `ControlFlowOp`.
enum ONNXOperators {
    typealias Builder = @Sendable (inout Context) throws -> MappedNode

    /// What a builder works with.
    struct Context {
        let node: ONNXNode
        let reader: ONNXGraphReader
        var tallies: ONNXTallies

        var place: String { node.place }
        func fail(_ message: String) -> StrataError { reader.fail(place, message) }

        /// The runtime tensor at input `i`, or an error naming what is missing.
        func tensor(_ i: Int, _ what: String) throws -> String {
            switch node.input(i) {
            case .tensor(let n): return n
            case .initializer(let n, _): return n
            case .absent: throw fail("needs its \(what) (input \(i + 1))")
            }
        }
    }

    /// Every op type Strata maps, by domain, for `strata layers`.
    static var supported: [(domain: String, ops: [String])] {
        var byDomain: [String: [String]] = [:]
        for key in table.keys {
            let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
            if parts.count == 2 { byDomain[parts[0], default: []].append(parts[1]) } else { byDomain["", default: []].append(key) }
        }
        return byDomain.keys.sorted().map { ($0, byDomain[$0]!.sorted()) }
    }

    static func map(_ node: ONNXNode, reader: ONNXGraphReader, tallies: inout ONNXTallies) throws -> MappedNode {
        var ctx = Context(node: node, reader: reader, tallies: tallies)
        defer { tallies = ctx.tallies }
        if let builder = table[node.qualifiedType] ?? (node.domain == "ai.onnx" ? table[node.opType] : nil) {
            return try builder(&ctx)
        }
        // Not known: kept with unknown shapes, its float initializers still counted.
        var op = UnsupportedOp(className: node.qualifiedType)
        op.sourceClass = node.qualifiedType
        var out = MappedNode(op: op, tensorInputs: [])
        for input in node.inputs {
            switch input {
            case .tensor(let n): out.tensorInputs.append(n)
            case .initializer(let n, let t): out.weights.append(WeightUse(name: n, key: n, canonical: reader.rawInitializer(n, t, node.place)))
            case .absent: break
            }
        }
        return out
    }

    // MARK: Generic function nodes

    /// A function node: every input in order as an operand (graph tensors as call arguments,
    /// held tensors as constants with their contents when small).
    static func function(_ ctx: inout Context, _ function: String, role: LayerCategory = .other, attributes: JSONObject = JSONObject(),
                         joinsAs: String? = nil, extra: [TensorFunctionOp.Operand] = [], inputs: Range<Int>? = nil) throws -> MappedNode {
        var operands: [TensorFunctionOp.Operand] = []
        var out = MappedNode(op: ActivationOp(function: .linear), tensorInputs: [])
        let node = ctx.node
        let range = inputs ?? 0..<node.inputs.count
        for i in range {
            switch node.input(i) {
            case .absent: operands.append(.absent)
            case .tensor(let n):
                operands.append(.tensor)
                out.tensorInputs.append(n)
            case .initializer(let n, let t):
                operands.append(.constant(try ctx.reader.tensors.value(t, ctx.place)))
                out.weights.append(WeightUse(name: n, key: n, canonical: ctx.reader.rawInitializer(n, t, ctx.place)))
            }
        }
        operands += extra
        var attrs = attributes
        // The attributes that configure the computation (modes, coefficients), under their
        // own names, which the engine's functions share.
        for key in keptAttributes[node.opType] ?? [] where attrs[key] == nil {
            guard let a = node.attributes[key] else { continue }
            switch a.type {
            case .int: attrs.append(key, .number(Double(a.i)))
            case .float: attrs.append(key, .number(Double(a.f)))
            case .string: attrs.append(key, .string(String(decoding: a.s, as: UTF8.self)))
            case .ints: attrs.append(key, .array(a.ints.map { .number(Double($0)) }))
            case .floats: attrs.append(key, .array(a.floats.map { .number(Double($0)) }))
            case .strings: attrs.append(key, .array(a.strings.map { .string(String(decoding: $0, as: UTF8.self)) }))
            default: continue
            }
        }
        if node.outputCount != 1 { attrs.append("outputs", .number(Double(node.outputCount))) }
        // Branches join only where two computed tensors meet (a Constant node's output is a
        // constant operand, not a branch).
        let branches = out.tensorInputs.filter { ctx.reader.heldTensor(.tensor($0)) == nil }.count
        let joining = joinsAs != nil && branches >= 2
        out.op = TensorFunctionOp(name: node.qualifiedType, function: function, operands: operands, attributes: attrs,
                                  joinsAs: joining ? joinsAs : nil, sourceClass: node.qualifiedType,
                                  role: joining ? .merge : (role == .merge ? .other : role))
        return out
    }

    /// Op types whose integer arithmetic rescales its result (scale and zero point of the
    /// output): mapped for counting, refused by the engine.
    static let requantizing: Set<String> = [
        "QLinearConv", "QLinearMatMul", "com.microsoft:QGemm", "com.microsoft:QLinearAdd", "com.microsoft:QLinearMul",
        "com.microsoft:QLinearAveragePool", "com.microsoft:QLinearGlobalAveragePool", "com.microsoft:QLinearSoftmax",
        "com.microsoft:QLinearConcat", "com.microsoft:QLinearSigmoid", "com.microsoft:QLinearLeakyRelu",
        "com.microsoft:MatMulIntegerToFloat",
    ]

    /// Attributes kept verbatim on function nodes, by op type.
    static let keptAttributes: [String: [String]] = [
        "Resize": ["mode", "coordinate_transformation_mode", "nearest_mode", "cubic_coeff_a", "exclude_outside", "extrapolation_value",
                   "keep_aspect_ratio_policy", "antialias"],
        "Upsample": ["mode"],
        "Pad": ["mode", "value"],
        "CumSum": ["exclusive", "reverse"],
        "DepthToSpace": ["mode"],
        "TopK": ["largest", "sorted"],
        "ArgMax": ["select_last_index"], "ArgMin": ["select_last_index"],
        "GroupNormalization": ["num_groups", "stash_type"],
        "Celu": ["alpha"], "ThresholdedRelu": ["alpha"], "Shrink": ["lambd", "bias"],
        "Gemm": ["alpha", "beta"],
        "LRN": ["size", "alpha", "beta", "bias"],
        "QuantizeLinear": ["axis", "saturate", "block_size", "output_dtype"], "DequantizeLinear": ["axis", "block_size"],
        "Mod": ["fmod"],
        "LSTM": ["activations", "activation_alpha", "activation_beta", "clip", "input_forget"],
        "GRU": ["activations", "activation_alpha", "activation_beta", "clip", "linear_before_reset"],
        "RNN": ["activations", "activation_alpha", "activation_beta", "clip"],
        "Trilu": ["upper"],
        "OneHot": ["axis"],
        "MatMulInteger": [], "ConvInteger": [],
        "MaxPool": ["kernel_shape", "strides", "pads", "dilations", "ceil_mode", "auto_pad", "storage_order"],
        "AveragePool": ["kernel_shape", "strides", "pads", "dilations", "ceil_mode", "auto_pad", "count_include_pad"],
        "ConvTranspose": ["kernel_shape", "strides", "pads", "dilations", "auto_pad", "group", "output_padding", "output_shape"],
    ]

    /// A constant operand made from an attribute (older opsets keep as attributes what newer
    /// ones take as inputs).
    static func constant(_ ints: [Int]?) -> TensorFunctionOp.Operand {
        guard let ints else { return .absent }
        return .constant(TensorValue(ints: ints))
    }

    static func activation(_ f: ActivationFunction) -> Builder {
        { ctx in
            var m = MappedNode(op: ActivationOp(function: f), tensorInputs: [try ctx.tensor(0, "input")])
            m.op.sourceClass = ctx.node.qualifiedType
            return m
        }
    }

    static func elementwise(_ name: String, role: LayerCategory = .other, joinsAs: String? = nil) -> Builder {
        { ctx in try function(&ctx, name, role: role, joinsAs: joinsAs) }
    }

    static func sameShape(_ name: String, role: LayerCategory) -> Builder {
        { ctx in try function(&ctx, name, role: role) }
    }

    static func json(_ pairs: [(String, JSONValue?)]) -> JSONObject {
        var o = JSONObject()
        for (k, v) in pairs { if let v { o.append(k, v) } }
        return o
    }

    static func num(_ v: Int?) -> JSONValue? { v.map { .number(Double($0)) } }
    static func numList(_ v: [Int]?) -> JSONValue? { v.map { .array($0.map { .number(Double($0)) }) } }

    // MARK: The table

    static let table: [String: Builder] = {
        var t: [String: Builder] = [:]
        // Layers with weights.
        t["Conv"] = convolution
        t["com.microsoft:FusedConv"] = convolution
        t["ConvTranspose"] = transposedConvolution
        t["Gemm"] = gemm
        t["com.microsoft:FusedGemm"] = gemm
        t["MatMul"] = matmul
        t["com.microsoft:FusedMatMul"] = { ctx in try function(&ctx, "matmul", role: .kernel) }
        t["MatMulInteger"] = { ctx in try function(&ctx, "matmul", role: .kernel, attributes: json([("integer", .number(1))])) }
        t["com.microsoft:MatMulIntegerToFloat"] = { ctx in try function(&ctx, "matmul", role: .kernel, inputs: 0..<2) }
        t["QLinearMatMul"] = { ctx in
            var m = try function(&ctx, "matmul", role: .kernel, inputs: 0..<8)
            if var f = m.op as? TensorFunctionOp, let ops = f.operands, ops.count == 8 {
                f.operands = [ops[0], ops[3]] + [ops[1], ops[2], ops[4], ops[5], ops[6], ops[7]].map { _ in .absent }
                m.op = f
            }
            return m
        }
        t["QLinearConv"] = quantizedConvolution
        // ONNX Runtime's quantizer (QOperator format): the quantized value is input 0, the
        // scales and zero points held; QGemm's B is input 3.
        t["com.microsoft:QGemm"] = { ctx in
            let attrs = json([("transA", num(ctx.node.int("transA"))), ("transB", num(ctx.node.int("transB")))])
            return try function(&ctx, "gemm", role: .kernel, attributes: attrs).withOperands { ops in
                guard ops.count > 3 else { return ops }
                return [ops[0], ops[3]] + ops.dropFirst(4).map { op in if case .tensor = op { return op }; return .absent }
                    .filter { if case .tensor = $0 { return true }; return false }
            }
        }
        t["com.microsoft:QLinearAveragePool"] = pooling(.average)
        t["com.microsoft:QLinearSoftmax"] = { ctx in try function(&ctx, "softmax", role: .activation, inputs: 0..<1) }
        t["com.microsoft:QLinearConcat"] = { ctx in
            // Y_scale, Y_zero_point, then (X, X_scale, X_zero_point) per joined tensor.
            var m = try function(&ctx, "concat", attributes: json([("axis", num(ctx.node.int("axis") ?? 0))]), joinsAs: "Concat")
            m = m.withOperands { ops in ops.enumerated().filter { $0.offset >= 2 && ($0.offset - 2) % 3 == 0 }.map(\.element) }
            return m
        }
        t["ConvInteger"] = { ctx in
            var attrs = windowAttributes(ctx.node)
            attrs.append("integer", .number(1))
            if ctx.node.string("auto_pad") == "SAME_LOWER" { attrs.append("same_lower", .bool(true)) }
            return try function(&ctx, "convolution", role: .kernel, attributes: attrs)
        }
        t["BatchNormalization"] = batchNormalization
        t["LSTM"] = recurrent(gates: 4, "lstm")
        t["GRU"] = recurrent(gates: 3, "gru")
        t["RNN"] = recurrent(gates: 1, "rnn")
        t["LayerNormalization"] = normalization("layer_normalization")
        t["com.microsoft:LayerNormalization"] = normalization("layer_normalization")
        t["com.microsoft:SimplifiedLayerNormalization"] = normalization("layer_normalization")
        t["com.microsoft:SkipLayerNormalization"] = normalization("skip_layer_normalization")
        t["InstanceNormalization"] = normalization("instance_normalization")
        t["GroupNormalization"] = normalization("group_normalization")
        t["LpNormalization"] = normalization("lp_normalization")
        t["MeanVarianceNormalization"] = normalization("mean_variance_normalization")
        t["LRN"] = normalization("lrn")
        // Pooling.
        t["MaxPool"] = pooling(.max)
        t["AveragePool"] = pooling(.average)
        t["LpPool"] = pooling(.average)
        t["GlobalAveragePool"] = { ctx in try function(&ctx, "mean", role: .pooling, attributes: globalAxes(ctx)) }
        t["GlobalMaxPool"] = { ctx in try function(&ctx, "max", role: .pooling, attributes: globalAxes(ctx)) }
        t["GlobalLpPool"] = { ctx in try function(&ctx, "l2", role: .pooling, attributes: globalAxes(ctx)) }
        // Activations.
        t["Relu"] = activation(.relu)
        t["Sigmoid"] = activation(.sigmoid)
        t["Tanh"] = activation(.tanh)
        t["Softplus"] = activation(.softplus)
        t["Softsign"] = activation(.softsign)
        t["Selu"] = { ctx in
            let a = ctx.node.float("alpha"), g = ctx.node.float("gamma")
            let standard = (a == nil || abs(a! - 1.67326) < 1e-4) && (g == nil || abs(g! - 1.0507) < 1e-4)
            return try activation(standard ? .selu : .other("selu(alpha: \(a ?? 0), gamma: \(g ?? 0))"))(&ctx)
        }
        t["Elu"] = { ctx in try activation(.elu(alpha: ctx.node.float("alpha") ?? 1))(&ctx) }
        t["LeakyRelu"] = { ctx in try activation(.leakyReLU(slope: ctx.node.float("alpha") ?? 0.01))(&ctx) }
        t["HardSigmoid"] = { ctx in try activation(.hardSigmoid(slope: ctx.node.float("alpha") ?? 0.2, offset: ctx.node.float("beta") ?? 0.5))(&ctx) }
        t["HardSwish"] = activation(.hardSwish)
        t["Mish"] = activation(.mish)
        t["Gelu"] = { ctx in
            ctx.node.string("approximate") == "tanh" ? try function(&ctx, "gelu_tanh", role: .activation) : try activation(.gelu)(&ctx)
        }
        t["com.microsoft:Gelu"] = activation(.gelu)
        t["com.microsoft:FastGelu"] = sameShape("fast_gelu", role: .activation)
        t["com.microsoft:BiasGelu"] = sameShape("bias_gelu", role: .activation)
        t["com.microsoft:QuickGelu"] = sameShape("quick_gelu", role: .activation)
        t["com.microsoft:BiasAdd"] = sameShape("bias_add", role: .other)
        t["Celu"] = sameShape("celu", role: .activation)
        t["ThresholdedRelu"] = sameShape("thresholded_relu", role: .activation)
        t["Shrink"] = sameShape("shrink", role: .activation)
        t["PRelu"] = { ctx in try function(&ctx, "prelu", role: .activation) }
        t["Clip"] = clip
        t["Softmax"] = softmax
        t["LogSoftmax"] = { ctx in try function(&ctx, "log_softmax", role: .activation, attributes: json([("axis", num(ctx.node.int("axis") ?? (ctx.node.opset >= 13 ? -1 : 1)))])) }
        t["Hardmax"] = { ctx in try function(&ctx, "hardmax", role: .activation, attributes: json([("axis", num(ctx.node.int("axis") ?? (ctx.node.opset >= 13 ? -1 : 1)))])) }
        // Element-wise math.
        for (op, fn) in [("Add", "add"), ("Sub", "sub"), ("Mul", "mul"), ("Div", "div"), ("Max", "maximum"), ("Min", "minimum"),
                         ("Sum", "add"), ("Mean", "mean_of")] {
            t[op] = elementwise(fn, joinsAs: op)
        }
        for (op, fn) in [("Pow", "pow"), ("Mod", "mod"), ("Equal", "equal"), ("Greater", "greater"), ("Less", "less"),
                         ("GreaterOrEqual", "greater_equal"), ("LessOrEqual", "less_equal"), ("And", "and"), ("Or", "or"),
                         ("Xor", "xor"), ("Not", "not"), ("Where", "where"), ("Neg", "neg"), ("Abs", "abs"), ("Sqrt", "sqrt"),
                         ("Reciprocal", "reciprocal"), ("Exp", "exp"), ("Log", "log"), ("Floor", "floor"), ("Ceil", "ceil"),
                         ("Round", "round"), ("Sign", "sign"), ("Erf", "erf"), ("Sin", "sin"), ("Cos", "cos"), ("Tan", "tan"),
                         ("Asin", "asin"), ("Acos", "acos"), ("Atan", "atan"), ("Sinh", "sinh"), ("Cosh", "cosh"),
                         ("IsNaN", "is_nan"), ("IsInf", "is_inf"), ("BitShift", "bitshift"),
                         ("DequantizeLinear", "dequantize")] {
            t[op] = elementwise(fn)
        }
        t["QuantizeLinear"] = { ctx in
            // The zero point's element type is the output's (uint8 when there is none).
            var type = "uint8"
            if case .initializer(_, let z) = ctx.node.input(2) { type = ONNXElementType.name(z.dataType) }
            return try function(&ctx, "quantize", attributes: json([("output_type", .string(type))]))
        }
        t["com.microsoft:QLinearAdd"] = { ctx in try function(&ctx, "add", joinsAs: "Add") }
        t["com.microsoft:QLinearMul"] = { ctx in try function(&ctx, "mul", joinsAs: "Mul") }
        t["com.microsoft:QLinearSigmoid"] = { ctx in try function(&ctx, "identity", role: .activation, inputs: 0..<1) }
        t["com.microsoft:QLinearLeakyRelu"] = { ctx in try function(&ctx, "identity", role: .activation, inputs: 0..<1) }
        t["com.microsoft:QLinearGlobalAveragePool"] = { ctx in
            let channelsLast = (ctx.node.int("channels_last") ?? 0) != 0
            return try function(&ctx, "mean", role: .pooling, attributes: json([("axis", numList(channelsLast ? [1, 2] : [2, 3])), ("keepdims", .number(1))]), inputs: 0..<1)
        }
        t["DynamicQuantizeLinear"] = { ctx in try function(&ctx, "dynamic_quantize", attributes: json([("outputs", .number(3))])) }
        t["Cast"] = { ctx in try function(&ctx, "cast", attributes: json([("to", .string(castTarget(ctx.node.int("to"))))])) }
        t["CastLike"] = { ctx in try function(&ctx, "cast", inputs: 0..<1) }
        t["Identity"] = { ctx in try function(&ctx, "identity") }
        t["Dropout"] = { ctx in try function(&ctx, "identity", role: .regularization, inputs: 0..<1) }
        t["Constant"] = constantNode
        // Shapes and arrays.
        t["Shape"] = { ctx in try function(&ctx, "shape", attributes: json([("start", num(ctx.node.int("start"))), ("end", num(ctx.node.int("end")))])) }
        t["Size"] = { ctx in try function(&ctx, "size") }
        t["Gather"] = gather
        t["GatherElements"] = { ctx in try function(&ctx, "gather_elements", attributes: json([("axis", num(ctx.node.int("axis")))])) }
        t["Slice"] = slice
        t["Concat"] = { ctx in try function(&ctx, "concat", role: .other, attributes: json([("axis", num(ctx.node.int("axis") ?? 0))]), joinsAs: "Concat") }
        t["Unsqueeze"] = axesOp("unsqueeze")
        t["Squeeze"] = axesOp("squeeze")
        t["Reshape"] = { ctx in
            let shape = ctx.node.opset < 5 ? ctx.node.ints("shape") : nil
            return try function(&ctx, "reshape", role: .reshape, attributes: json([("allowzero", num(ctx.node.int("allowzero")))]),
                                extra: shape != nil ? [constant(shape)] : [], inputs: 0..<(shape != nil ? 1 : 2))
        }
        t["Flatten"] = { ctx in try function(&ctx, "flatten", role: .reshape, attributes: json([("axis", num(ctx.node.int("axis") ?? 1))])) }
        t["Transpose"] = { ctx in try function(&ctx, "transpose", role: .reshape, attributes: json([("perm", numList(ctx.node.ints("perm")))])) }
        t["Expand"] = { ctx in try function(&ctx, "expand", role: .reshape) }
        t["Tile"] = { ctx in try function(&ctx, "tile", role: .reshape) }
        t["ConstantOfShape"] = constantOfShape
        t["Range"] = { ctx in try function(&ctx, "range") }
        t["Pad"] = pad
        t["Resize"] = resize
        t["Upsample"] = resize
        t["Split"] = split
        t["TopK"] = { ctx in
            let k = ctx.node.opset < 10 ? ctx.node.int("k") : nil
            return try function(&ctx, "topk", attributes: json([("axis", num(ctx.node.int("axis") ?? -1))]),
                                extra: k != nil ? [.constant(TensorValue(ints: [k!]))] : [], inputs: 0..<(k != nil ? 1 : 2))
        }
        t["NonZero"] = { ctx in try function(&ctx, "nonzero") }
        t["NonMaxSuppression"] = { ctx in try function(&ctx, "non_max_suppression") }
        t["OneHot"] = { ctx in try function(&ctx, "one_hot", attributes: json([("axis", num(ctx.node.int("axis") ?? -1))])) }
        t["DepthToSpace"] = { ctx in try function(&ctx, "depth_to_space", role: .reshape, attributes: json([("blocksize", num(ctx.node.int("blocksize")))])) }
        t["SpaceToDepth"] = { ctx in try function(&ctx, "space_to_depth", role: .reshape, attributes: json([("blocksize", num(ctx.node.int("blocksize")))])) }
        t["CumSum"] = sameShape("cumsum", role: .other)
        t["Trilu"] = sameShape("trilu", role: .other)
        t["ScatterND"] = sameShape("scatter_nd", role: .other)
        t["ScatterElements"] = sameShape("scatter_elements", role: .other)
        t["Scatter"] = sameShape("scatter", role: .other)
        t["ReverseSequence"] = sameShape("reverse_sequence", role: .other)
        for (op, fn) in [("ReduceMean", "mean"), ("ReduceSum", "sum"), ("ReduceMax", "max"), ("ReduceMin", "min"), ("ReduceProd", "prod"),
                         ("ReduceL1", "l1"), ("ReduceL2", "l2"), ("ReduceLogSum", "log_sum"), ("ReduceLogSumExp", "log_sum_exp"),
                         ("ReduceSumSquare", "sum_square")] {
            t[op] = reduction(fn, axesAsInput: op == "ReduceSum" ? 13 : 18)
        }
        t["ArgMax"] = argReduction("argmax")
        t["ArgMin"] = argReduction("argmin")
        t["Einsum"] = { ctx in try function(&ctx, "einsum", role: .kernel, attributes: json([("equation", ctx.node.string("equation").map { .string($0) })])) }
        // Control flow.
        t["If"] = controlFlow(.branch)
        t["Loop"] = controlFlow(.loop)
        t["Scan"] = controlFlow(.scan)
        return t
    }()

    static func castTarget(_ code: Int?) -> String {
        guard let code else { return "float" }
        return ONNXElementType.isFloat(Int32(code)) ? "float" : ONNXElementType.isInteger(Int32(code)) ? "int" : ONNXElementType.name(Int32(code))
    }

    static func globalAxes(_ ctx: Context) -> JSONObject {
        // Every axis after the batch and the channels, kept as size 1: the rank is that of the
        // input, known only to shape inference, so the rule takes "all axes from 2".
        json([("axis_from", .number(2)), ("keepdims", .number(1))])
    }
}
