/// Shape rules of the array functions graph formats write as nodes (shape arithmetic,
/// gathers, slices, reshapes with computed targets, padding, resizing, splits, matrix
/// products, recurrent sequences), with the contents of small integer tensors carried
/// through them (`TensorValue`), so a reshape whose target is computed from a shape still
/// gets numbers and a size the file names keeps its name.
///
/// Arguments come in the order of `operands` (a constant the file holds takes its place
/// among the tensors; an absent optional argument keeps its position). Neutral attribute
/// keys: `axis` (int or list), `keepdims`, `perm`, `outputs` (number of outputs), `start`
/// and `end` (shape), `allowzero` (reshape), `hidden_size`, `directions`, `layout`
/// (recurrent: 0 sequence first, 1 batch first), `gates` (recurrent), `blocksize`,
/// `value` (constant_of_shape's fill), `split` (sizes), `noop_with_empty_axes`.
extension TensorFunctionOp {
    /// One argument as the shape rules see it: its shape and, when known, its contents.
    public struct Argument: Sendable {
        public var shape: [Dim]
        public var value: TensorValue?
    }

    /// The arguments in call order; nil for an absent or unusable one.
    public func arguments(_ inputs: [TensorShape], _ values: [TensorValue?]) -> [Argument?] {
        func tensor(_ i: Int) -> Argument? {
            guard i < inputs.count else { return nil }
            return Argument(shape: inputs[i].dimensions, value: i < values.count ? values[i] : nil)
        }
        guard let operands else { return inputs.indices.map(tensor) }
        var next = 0
        return operands.map { op -> Argument? in
            switch op {
            case .tensor: defer { next += 1 }; return tensor(next)
            case .scalar(let v): return Argument(shape: [], value: TensorValue(shape: [], floats: [v]))
            case .constant(let t): return Argument(shape: t.shape.map { .known($0) }, value: t)
            case .absent, .unsupported: return nil
            }
        }
    }

    /// Number of outputs the node declares (`outputs`), 1 by default.
    var outputCount: Int { max(argument("outputs")?.intValue ?? 1, 1) }

    /// Integers of an attribute given as an int or a list.
    public func intList(_ key: String) -> [Int]? {
        guard let v = argument(key) else { return nil }
        if let a = v.arrayValue { let ints = a.compactMap(\.intValue); return ints.count == a.count ? ints : nil }
        return v.intValue.map { [$0] }
    }

    func fail(_ message: String) -> LayerError { LayerError("operation \"\(name)\": \(message)") }

    func arg(_ args: [Argument?], _ i: Int, _ what: String) throws -> Argument {
        guard i < args.count, let a = args[i] else { throw fail("needs its \(what) (argument \(i + 1))") }
        return a
    }

    /// Output shapes with known contents of some inputs.
    public func outputShapes(_ inputs: [TensorShape], values: [TensorValue?]) throws -> [TensorShape] {
        let args = arguments(inputs, values)
        if let dims = try arrayShapes(args) { return dims.map { TensorShape(dimensions: $0) } }
        return try basicOutputShapes(inputs)
    }

    /// Contents of the outputs computable from known inputs (shape arithmetic).
    public func outputValues(_ inputs: [TensorShape], values: [TensorValue?], outputs: [TensorShape]) -> [TensorValue?] {
        let args = arguments(inputs, values)
        guard let out = outputs.first, let count = out.elementCount(batch: out.dims.first.flatMap { $0 } ?? 0),
              out.dims.allSatisfy({ $0 != nil }), count <= TensorValue.maxElements else { return [] }
        let shape = out.dims.map { $0! }
        return [arrayValue(args, shape: shape)]
    }

    /// Multiply-accumulates: matrix products and recurrent sequences; other functions cost
    /// none in Strata's count.
    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        switch function {
        case "gemm":
            let args = arguments(inputs, [])
            guard let out = outputs.first, args.count > 1, let a = args[0], a.shape.count == 2 else { return 0 }
            let k = (argument("transA")?.intValue ?? 0) != 0 ? a.shape[0].value : a.shape[1].value
            return Shapes.product(out.dims + [k])
        case "matmul":
            // Every output value sums the products along the shared axis.
            let args = arguments(inputs, [])
            guard let out = outputs.first, args.count > 1, let a = args[0], let k = a.shape.last else { return 0 }
            return Shapes.product(out.dims.enumerated().map { i, d in i == 0 ? (d ?? 1) : d } + [k.value])
        case "convolution":
            // Output values × products per output (input channels per group × kernel volume).
            let args = arguments(inputs, [])
            guard let out = outputs.first, args.count > 1, let w = args[1], w.shape.count >= 3 else { return nil }
            return Shapes.product(out.dims.enumerated().map { i, d in i == 0 ? (d ?? 1) : d } + w.shape.dropFirst().map(\.value))
        case "lstm", "gru", "rnn":
            let args = arguments(inputs, [])
            guard let x = args.first ?? nil, x.shape.count == 3, let hidden = argument("hidden_size")?.intValue else { return nil }
            let layout = argument("layout")?.intValue ?? 0
            let steps = layout == 0 ? x.shape[0].value : x.shape[1].value
            guard let steps, let features = x.shape[2].value else { return nil }
            let gates = argument("gates")?.intValue ?? 1
            let dirs = argument("directions")?.intValue ?? 1
            return checkedProduct([steps, dirs, gates, hidden, features + hidden])
        default:
            return 0
        }
    }

    // MARK: Shape rules

    /// Functions whose outputs all have the first argument's shape.
    static let sameShape: Set<String> = [
        "softmax", "log_softmax", "hardmax", "cumsum", "trilu", "scatter", "scatter_elements", "scatter_nd",
        "layer_normalization", "instance_normalization", "group_normalization", "lrn", "mean_variance_normalization",
        "quantize", "dequantize", "bias_gelu", "fast_gelu", "quick_gelu", "skip_layer_normalization",
        "shrink", "celu", "thresholded_relu", "bias_add", "gelu_tanh", "reverse_sequence", "lp_normalization", "batch_normalization",
    ]

    /// Functions whose output is the broadcast of all their operands, beyond `elementwise`.
    static let broadcasting: Set<String> = [
        "where", "mod", "and", "or", "xor", "not", "prelu", "mean_of", "bitshift", "is_nan", "is_inf", "tan", "asin", "acos",
        "atan", "sinh", "cosh", "greater", "less", "greater_equal", "less_equal", "equal",
    ]

    /// The rule for this function, nil when it is not an array function (the older rules
    /// apply).
    func arrayShapes(_ args: [Argument?]) throws -> [[Dim]]? {
        let n = outputCount
        switch function {
        case "constant":
            return [try arg(args, 0, "value").shape]
        case "shape":
            let x = try arg(args, 0, "input")
            let (lo, hi) = Self.range(x.shape.count, argument("start")?.intValue, argument("end")?.intValue)
            return [[.known(hi - lo)]]
        case "size":
            return [[]]
        case "identity":
            let x = try arg(args, 0, "input")
            return Array(repeating: x.shape, count: n)
        case "gather":
            let data = try arg(args, 0, "data"), idx = try arg(args, 1, "indices")
            let axis = try Self.axis(argument("axis")?.intValue ?? 0, data.shape.count, name)
            return [Array(data.shape[..<axis]) + idx.shape + Array(data.shape[(axis + 1)...])]
        case "gather_elements":
            return [try arg(args, 1, "indices").shape]
        case "slice":
            return [try sliceShape(args)]
        case "concat":
            var parts = args.compactMap { $0 }
            // Numbers written in the call (an axis passed by position) are not joined.
            if parts.contains(where: { !$0.shape.isEmpty }) { parts = parts.filter { !$0.shape.isEmpty } }
            guard let first = parts.first else { throw fail("has nothing to join") }
            let axis = try Self.axis(argument("axis")?.intValue ?? 0, first.shape.count, name)
            var out = first.shape
            var total: Dim = .known(0)
            for p in parts {
                guard p.shape.count == first.shape.count else { throw fail("joins tensors of ranks \(first.shape.count) and \(p.shape.count)") }
                total = total + p.shape[axis]
                for i in out.indices where i != axis { out[i] = Self.merge(out[i], p.shape[i]) }
            }
            out[axis] = total
            return [out]
        case "unsqueeze":
            let x = try arg(args, 0, "input")
            guard let axes = try axesArgument(args, 1) else { throw fail("needs the axes to insert") }
            let rank = x.shape.count + axes.count
            let norm = try Set(axes.map { try Self.axis($0, rank, name) })
            guard norm.count == axes.count else { throw fail("repeats an axis in \(axes)") }
            var it = x.shape.makeIterator()
            return [(0..<rank).map { norm.contains($0) ? .known(1) : it.next()! }]
        case "squeeze":
            let x = try arg(args, 0, "input")
            if let axes = try axesArgument(args, 1) {
                let norm = try Set(axes.map { try Self.axis($0, x.shape.count, name) })
                for a in norm where x.shape[a].value != nil && x.shape[a].value != 1 {
                    throw fail("axis \(a) of input \(Self.text(x.shape)) has size \(x.shape[a]), not 1")
                }
                return [x.shape.enumerated().filter { !norm.contains($0.offset) }.map(\.element)]
            }
            guard x.shape.allSatisfy({ $0.value != nil }) else { throw dataDependent("which axes of \(Self.text(x.shape)) have size 1") }
            return [x.shape.filter { $0.value != 1 }]
        case "reshape":
            return [try reshapeShape(args)]
        case "flatten":
            let x = try arg(args, 0, "input")
            let axis = try Self.axis(argument("axis")?.intValue ?? 1, x.shape.count + 1, name)
            return [[Self.product(x.shape[..<axis]), Self.product(x.shape[axis...])]]
        case "expand":
            let x = try arg(args, 0, "input"), target = try arg(args, 1, "shape")
            guard let dims = target.value?.dims else {
                guard let r = target.shape.first?.value else { throw dataDependent("the target shape") }
                return [Array(repeating: .unknown, count: max(r, x.shape.count))]
            }
            return [try Self.broadcast([x.shape, dims], name)]
        case "tile":
            let x = try arg(args, 0, "input"), reps = try arg(args, 1, "repeats")
            guard let r = reps.value?.dims, r.count == x.shape.count else { return [x.shape.map { _ in Dim.unknown }] }
            return [zip(x.shape, r).map { $0 * $1 }]
        case "constant_of_shape":
            let s = try arg(args, 0, "shape")
            guard let dims = s.value?.dims else {
                guard let r = s.shape.first?.value else { throw dataDependent("the shape") }
                return [Array(repeating: .unknown, count: r)]
            }
            for d in dims { if let v = d.value, v < 0 { throw fail("shape \(Self.text(dims)) has a negative size") } }
            return [dims]
        case "range":
            let start = try arg(args, 0, "start"), limit = try arg(args, 1, "limit"), delta = try arg(args, 2, "delta")
            guard let a = start.value?.doubles?.first, let b = limit.value?.doubles?.first, let d = delta.value?.doubles?.first else { return [[.unknown]] }
            guard d != 0 else { throw fail("has a step of zero") }
            let count = max(((b - a) / d).rounded(.up), 0)
            guard count < 1e15 else { throw fail("would make \(count) elements") }
            return [[.known(Int(count))]]
        case "transpose":
            let x = try arg(args, 0, "input")
            let perm = intList("perm") ?? Array((0..<x.shape.count).reversed())
            guard perm.count == x.shape.count, Set(perm) == Set(0..<perm.count) else {
                throw fail("perm \(perm) does not fit input \(Self.text(x.shape))")
            }
            return [perm.map { x.shape[$0] }]
        case "matmul":
            let a = try arg(args, 0, "first matrix"), b = try arg(args, 1, "second matrix")
            return [try Self.matmul(a.shape, b.shape, name)]
        case "mean", "sum", "max", "min", "prod", "l1", "l2", "log_sum", "log_sum_exp", "sum_square":
            guard operands != nil || argument("keepdims") != nil, argument("initial") == nil else { return nil }
            let x = try arg(args, 0, "input")
            let keep = argument("keepdims")?.boolValue ?? (argument("keepdims")?.intValue.map { $0 != 0 } ?? false)
            var axes = intList("axis")
            if axes == nil, let from = argument("axis_from")?.intValue {
                // Every axis from `axis_from` on (a global pooling over all spatial axes).
                axes = Array(min(max(from, 0), x.shape.count)..<x.shape.count)
                if axes!.isEmpty { return [x.shape] }
            }
            if axes == nil, args.count > 1, let given = args[1] {
                guard let v = given.value?.ints else { if keep { return [x.shape.map { _ in .unknown }] }; throw dataDependent("the axes") }
                axes = v
            }
            if axes == nil || axes!.isEmpty {
                if (argument("noop_with_empty_axes")?.intValue ?? 0) != 0 { return [x.shape] }
                axes = Array(0..<x.shape.count)
            }
            let norm = try Set(axes!.map { try Self.axis($0, x.shape.count, name) })
            return [x.shape.enumerated().compactMap { i, d in norm.contains(i) ? (keep ? .known(1) : nil) : d }]
        case "argmax", "argmin":
            let x = try arg(args, 0, "input")
            let axis = try Self.axis(argument("axis")?.intValue ?? 0, x.shape.count, name)
            let keep = (argument("keepdims")?.intValue ?? 1) != 0
            return [x.shape.enumerated().compactMap { i, d in i == axis ? (keep ? .known(1) : nil) : d }]
        case "pad":
            let x = try arg(args, 0, "input")
            let rank = x.shape.count
            var pads = intList("pads")
            if pads == nil, args.count > 1, let p = args[1] { pads = p.value?.ints; if pads == nil { return [x.shape.map { _ in .unknown }] } }
            guard var pads else { return [x.shape] }
            var axes = Array(0..<rank)
            if args.count > 3, let a = args[3] {
                guard let v = a.value?.ints else { return [x.shape.map { _ in .unknown }] }
                axes = try v.map { try Self.axis($0, rank, name) }
            }
            guard pads.count == 2 * axes.count else { throw fail("pads \(pads) do not fit input \(Self.text(x.shape))") }
            var out = x.shape
            for (i, a) in axes.enumerated() { out[a] = out[a] + .known(pads[i] + pads[i + axes.count]) }
            if pads.contains(where: { $0 < 0 }) { pads = [] }
            return [out]
        case "resize":
            let x = try arg(args, 0, "input")
            if args.count > 3, let sizes = args[3], let v = sizes.value?.dims {
                if v.count == x.shape.count { return [v] }
                if let axes = intList("axes"), axes.count == v.count {
                    var out = x.shape
                    for (i, a) in axes.enumerated() { out[try Self.axis(a, x.shape.count, name)] = v[i] }
                    return [out]
                }
                throw fail("sizes \(Self.text(v)) do not fit input \(Self.text(x.shape))")
            }
            if args.count > 2, let scales = args[2], let f = scales.value?.doubles, !f.isEmpty {
                guard f.count == x.shape.count else { throw fail("scales \(f) do not fit input \(Self.text(x.shape))") }
                return [zip(x.shape, f).map { d, s in d.value.map { .known(Int((Double($0) * s).rounded(.down))) } ?? (s == 1 ? d : .unknown) }]
            }
            return [x.shape.map { _ in .unknown }]
        case "split":
            let x = try arg(args, 0, "input")
            let axis = try Self.axis(argument("axis")?.intValue ?? 0, x.shape.count, name)
            var sizes = intList("split")
            if sizes == nil, args.count > 1, let s = args[1] { sizes = s.value?.ints }
            var outs: [[Dim]] = []
            if let sizes {
                guard sizes.count == n else { throw fail("split sizes \(sizes) do not match its \(n) outputs") }
                if let total = x.shape[axis].value, total != sizes.reduce(0, +) { throw fail("split sizes \(sizes) do not add up to \(total)") }
                for s in sizes { var o = x.shape; o[axis] = .known(s); outs.append(o) }
            } else if let total = x.shape[axis].value {
                let each = (total + n - 1) / n
                for i in 0..<n { var o = x.shape; o[axis] = .known(max(min(each, total - i * each), 0)); outs.append(o) }
            } else {
                outs = Array(repeating: { var o = x.shape; o[axis] = .unknown; return o }(), count: n)
            }
            return outs
        case "topk":
            let x = try arg(args, 0, "input")
            let axis = try Self.axis(argument("axis")?.intValue ?? -1, x.shape.count, name)
            var out = x.shape
            out[axis] = (args.count > 1 ? args[1]?.value?.dims?.first : nil) ?? .unknown
            return [out, out]
        case "nonzero":
            return [[.known(try arg(args, 0, "input").shape.count), .unknown]]
        case "one_hot":
            let idx = try arg(args, 0, "indices")
            let depth: Dim = (args.count > 1 ? args[1]?.value?.dims?.first : nil) ?? .unknown
            let axis = try Self.axis(argument("axis")?.intValue ?? -1, idx.shape.count + 1, name)
            var out = idx.shape
            out.insert(depth, at: axis)
            return [out]
        case "depth_to_space", "space_to_depth":
            let x = try arg(args, 0, "input")
            guard x.shape.count == 4, let b = argument("blocksize")?.intValue, b > 0 else { throw fail("expects a rank-4 input and a block size") }
            let bb = Dim.known(b * b), bd = Dim.known(b)
            if function == "depth_to_space" { return [[x.shape[0], x.shape[1] / bb, x.shape[2] * bd, x.shape[3] * bd]] }
            return [[x.shape[0], x.shape[1] * bb, x.shape[2] / bd, x.shape[3] / bd]]
        case "lstm", "gru", "rnn":
            let x = try arg(args, 0, "input sequence")
            guard x.shape.count == 3 else { throw fail("expects a rank-3 input sequence, found \(Self.text(x.shape))") }
            guard let hidden = argument("hidden_size")?.intValue else { throw fail("needs its hidden size") }
            let dirs = Dim.known(argument("directions")?.intValue ?? 1), h = Dim.known(hidden)
            let batchFirst = (argument("layout")?.intValue ?? 0) == 1
            let (steps, batch) = batchFirst ? (x.shape[1], x.shape[0]) : (x.shape[0], x.shape[1])
            let y: [Dim] = batchFirst ? [batch, steps, dirs, h] : [steps, dirs, batch, h]
            let state: [Dim] = batchFirst ? [batch, dirs, h] : [dirs, batch, h]
            return Array(([y] + Array(repeating: state, count: 2)).prefix(n))
        case "convolution":
            // (N, C, spatial...) with a weight (O, C/g, k...) computed by the graph.
            let x = try arg(args, 0, "input")
            guard x.shape.count >= 3 else { throw fail("expects a channels-first input of rank 3 or more, found \(Self.text(x.shape))") }
            let rank = x.shape.count - 2
            let w = args.count > 1 ? args[1] : nil
            let kernel = intList("kernel") ?? w.flatMap { $0.shape.count == rank + 2 ? $0.shape.dropFirst(2).compactMap(\.value) : nil }
            let out: Dim = w.flatMap { $0.shape.first } ?? .unknown
            guard let kernel, kernel.count == rank else { return [[x.shape[0], out] + Array(repeating: Dim.unknown, count: rank)] }
            let strides = intList("strides") ?? Array(repeating: 1, count: rank)
            let dilations = intList("dilations") ?? Array(repeating: 1, count: rank)
            let pads = intList("pads") ?? Array(repeating: 0, count: 2 * rank)
            let same = argument("padding")?.stringValue == "same"
            guard strides.count == rank, dilations.count == rank, pads.count == 2 * rank, strides.allSatisfy({ $0 > 0 }) else {
                throw fail("strides \(strides), dilations \(dilations) and pads \(pads) do not fit a window of rank \(rank)")
            }
            let spatial: [Dim] = (0..<rank).map { i in
                guard let n = x.shape[i + 2].value else { return .unknown }
                if same { return .known((n + strides[i] - 1) / strides[i]) }
                let eff = (kernel[i] - 1) * dilations[i] + 1
                let span = n + pads[i] + pads[i + rank] - eff
                return span < 0 ? .unknown : .known(span / strides[i] + 1)
            }
            return [[x.shape[0], out] + spatial]
        case "max_pool", "average_pool":
            // (N, C, spatial...) over a window with dilations; MaxPool's indices have its shape.
            let x = try arg(args, 0, "input")
            let rank = x.shape.count - 2
            guard rank >= 1, let kernel = intList("kernel_shape"), kernel.count == rank else { return [x.shape.map { _ in .unknown }] }
            let strides = intList("strides") ?? Array(repeating: 1, count: rank)
            let dilations = intList("dilations") ?? Array(repeating: 1, count: rank)
            let pads = intList("pads") ?? Array(repeating: 0, count: 2 * rank)
            let auto = argument("auto_pad")?.stringValue ?? "NOTSET"
            let ceil = (argument("ceil_mode")?.intValue ?? 0) != 0
            guard strides.count == rank, dilations.count == rank, pads.count == 2 * rank, strides.allSatisfy({ $0 > 0 }) else {
                throw fail("strides \(strides), dilations \(dilations) and pads \(pads) do not fit a window of rank \(rank)")
            }
            let spatial: [Dim] = (0..<rank).map { i in
                guard let n = x.shape[i + 2].value else { return .unknown }
                if auto.hasPrefix("SAME") { return .known((n + strides[i] - 1) / strides[i]) }
                let extent = (kernel[i] - 1) * dilations[i] + 1
                let span = n + (auto == "VALID" ? 0 : pads[i] + pads[i + rank]) - extent
                guard span >= 0 else { return .unknown }
                var o = (ceil ? (span + strides[i] - 1) / strides[i] : span / strides[i]) + 1
                if ceil && (o - 1) * strides[i] >= n + pads[i] { o -= 1 }
                return .known(o)
            }
            return Array(repeating: Array(x.shape.prefix(2)) + spatial, count: n)
        case "transposed_convolution":
            // (N, C, spatial...) with a weight (C, O/g, k...): stride (in - 1) + output padding +
            // dilated kernel - pads, or the output_shape given.
            let x = try arg(args, 0, "input")
            let rank = x.shape.count - 2
            guard rank >= 1, args.count > 1, let w = args[1], w.shape.count == rank + 2 else { return [x.shape.map { _ in .unknown }] }
            let groups = argument("group")?.intValue ?? 1
            let channels = w.shape[1].value.map { Dim.known($0 * groups) } ?? .unknown
            let kernel = w.shape.dropFirst(2).map(\.value)
            let strides = intList("strides") ?? Array(repeating: 1, count: rank)
            let dilations = intList("dilations") ?? Array(repeating: 1, count: rank)
            let extra = intList("output_padding") ?? Array(repeating: 0, count: rank)
            let pads = intList("pads") ?? Array(repeating: 0, count: 2 * rank)
            let auto = argument("auto_pad")?.stringValue ?? "NOTSET"
            let given = intList("output_shape")
            guard strides.count == rank, dilations.count == rank, extra.count == rank, pads.count == 2 * rank else {
                throw fail("attributes do not fit a window of rank \(rank)")
            }
            let spatial: [Dim] = (0..<rank).map { i in
                if let given, given.count >= rank { return .known(given[given.count - rank + i]) }
                guard let n = x.shape[i + 2].value, let k = kernel[i] else { return .unknown }
                if auto.hasPrefix("SAME") { return .known(n * strides[i]) }
                let full = strides[i] * (n - 1) + extra[i] + (k - 1) * dilations[i] + 1
                return .known(full - (auto == "VALID" ? 0 : pads[i] + pads[i + rank]))
            }
            return [[x.shape[0], channels] + spatial]
        case "einsum":
            // The output's labels (after `->`, or those used once, sorted) take their sizes.
            guard let eq = argument("equation")?.stringValue?.replacingOccurrences(of: " ", with: ""), !eq.contains(".") else { return nil }
            let sides = eq.components(separatedBy: "->")
            let inputs = sides[0].split(separator: ",", omittingEmptySubsequences: false).map { Array($0) }
            let parts = args.compactMap { $0 }
            guard inputs.count == parts.count else { throw fail("equation \(eq) does not fit \(parts.count) operands") }
            var size: [Character: Dim] = [:]
            for (labels, a) in zip(inputs, parts) {
                guard labels.count == a.shape.count else { throw fail("operand \(Self.text(a.shape)) does not fit labels \(String(labels))") }
                for (l, d) in zip(labels, a.shape) where size[l]?.value == nil || size[l]?.value == 1 { size[l] = d }
            }
            let all = inputs.flatMap { $0 }
            let output = sides.count == 2 ? Array(sides[1]) : Set(all).filter { l in all.filter { $0 == l }.count == 1 }.sorted()
            return [output.map { size[$0] ?? .unknown }]
        case "dynamic_quantize":
            // The quantized tensor, its scale and its zero point.
            return [try arg(args, 0, "input").shape, [], []]
        case "gemm":
            let a = try arg(args, 0, "A"), b = try arg(args, 1, "B")
            guard a.shape.count == 2, b.shape.count == 2 else { throw fail("multiplies matrices, given \(Self.text(a.shape)) and \(Self.text(b.shape))") }
            let ta = (argument("transA")?.intValue ?? 0) != 0, tb = (argument("transB")?.intValue ?? 0) != 0
            return [[ta ? a.shape[1] : a.shape[0], tb ? b.shape[0] : b.shape[1]]]
        case "non_max_suppression":
            return [[.unknown, .known(3)]]
        default:
            if Self.sameShape.contains(function) {
                let x = try arg(args, 0, "input")
                return Array(repeating: x.shape, count: n)
            }
            if Self.elementwise.contains(function) || Self.broadcasting.contains(function) {
                let parts = args.compactMap { $0?.shape }
                guard !parts.isEmpty else { throw fail("has no operands") }
                return Array(repeating: try Self.broadcast(parts, name), count: n)
            }
            return nil
        }
    }

    /// Axes given by the `axis` attribute or, failing that, by argument `index`'s contents;
    /// nil when neither says.
    func axesArgument(_ args: [Argument?], _ index: Int) throws -> [Int]? {
        if let a = intList("axis") { return a }
        if index < args.count, let given = args[index] {
            guard let v = given.value?.ints else { throw fail("takes its axes from a tensor whose contents are unknown before running") }
            return v
        }
        return nil
    }

    func sliceShape(_ args: [Argument?]) throws -> [Dim] {
        let x = try arg(args, 0, "input")
        let rank = x.shape.count
        guard let starts = (args.count > 1 ? args[1]?.value?.ints : nil),
              let ends = (args.count > 2 ? args[2]?.value?.ints : nil) else {
            // Where the slice runs is known only at run time: which axes it cuts may still be.
            if args.count > 3, let axes = args[3]?.value?.ints {
                var out = x.shape
                for a in axes { out[try Self.axis(a, rank, name)] = .unknown }
                return out
            }
            return x.shape.map { _ in .unknown }
        }
        guard starts.count == ends.count else { throw fail("has \(starts.count) starts and \(ends.count) ends") }
        var axes = Array(0..<starts.count)
        if args.count > 3, let a = args[3] {
            guard let v = a.value?.ints else { return x.shape.map { _ in .unknown } }
            axes = v
        }
        var steps = Array(repeating: 1, count: starts.count)
        if args.count > 4, let s = args[4] {
            guard let v = s.value?.ints else { return x.shape.map { _ in .unknown } }
            steps = v
        }
        guard axes.count == starts.count, steps.count == starts.count else { throw fail("starts, ends, axes and steps differ in length") }
        var out = x.shape
        for i in axes.indices {
            let a = try Self.axis(axes[i], rank, name)
            guard steps[i] != 0 else { throw fail("has a step of zero on axis \(a)") }
            guard let len = x.shape[a].value else {
                // An open size sliced from the start to "the end" keeps its name.
                if starts[i] == 0 && steps[i] == 1 && ends[i] >= Int(Int32.max) { continue }
                out[a] = .unknown
                continue
            }
            out[a] = .known(Self.sliceLength(len, starts[i], ends[i], steps[i]))
        }
        return out
    }

    /// Elements an ONNX/NumPy-style slice keeps along an axis of length `len`.
    static func sliceLength(_ len: Int, _ start: Int, _ end: Int, _ step: Int) -> Int {
        func clamp(_ v: Int, _ lo: Int, _ hi: Int) -> Int { min(max(v, lo), hi) }
        if step > 0 {
            let s = clamp(start < 0 ? start + len : start, 0, len)
            let e = clamp(end < 0 ? (end < Int.min / 2 ? 0 : end + len) : end, 0, len)
            return e > s ? (e - s + step - 1) / step : 0
        }
        let s = clamp(start < 0 ? start + len : start, -1, len - 1)
        let e = clamp(end < 0 ? (end < Int.min / 2 ? -1 : end + len) : end, -1, len - 1)
        return s > e ? (s - e + (-step) - 1) / (-step) : 0
    }

    func reshapeShape(_ args: [Argument?]) throws -> [Dim] {
        let x = try arg(args, 0, "input")
        let target: [Dim]
        if args.count > 1, let t = args[1] {
            guard let dims = t.value?.dims else {
                guard let r = t.shape.first?.value else { throw dataDependent("the target shape") }
                return Array(repeating: .unknown, count: r)
            }
            target = dims
        } else if let shape = intList("shape") {
            target = shape.map { .known($0) }
        } else {
            throw fail("needs a target shape")
        }
        let allowZero = (argument("allowzero")?.intValue ?? 0) != 0
        var out: [Dim] = []
        var inferred: Int?
        for (i, d) in target.enumerated() {
            switch d {
            case .known(0) where !allowZero:
                guard i < x.shape.count else { throw fail("target \(Self.text(target)) copies axis \(i), which input \(Self.text(x.shape)) lacks") }
                out.append(x.shape[i])
            case .known(-1):
                guard inferred == nil else { throw fail("target \(Self.text(target)) has more than one -1") }
                inferred = i
                out.append(.unknown)
            case .known(let v) where v < -1:
                throw fail("target \(Self.text(target)) has a negative size")
            default:
                out.append(d)
            }
        }
        guard let at = inferred else {
            if let a = Self.count(x.shape), let b = Self.count(out), a != b {
                throw fail("cannot reshape input \(Self.text(x.shape)) (\(a) elements) to \(Self.text(out)) (\(b) elements)")
            }
            return out
        }
        // The -1: the input's size divided by the others, names cancelling.
        var num = Self.factors(x.shape), den = Self.factors(out.enumerated().filter { $0.offset != at }.map(\.element))
        for name in den.names {
            if let j = num.names.firstIndex(of: name) { num.names.remove(at: j) } else { return out }
        }
        guard den.unknown == 0, num.unknown == 0, den.names.isEmpty || true else { return out }
        guard den.known != 0 else { out[at] = .known(0); return out }
        guard num.known % den.known == 0 else {
            throw fail("cannot reshape input \(Self.text(x.shape)) to \(Self.text(target)): \(num.known) is not a multiple of \(den.known)")
        }
        let k = num.known / den.known
        if num.names.isEmpty { out[at] = .known(k) } else if num.names.count == 1 && k == 1 { out[at] = .symbolic(num.names[0]) }
        return out
    }

    /// A shape as known sizes' product, the names it multiplies by and the count of unknown sizes.
    static func factors(_ dims: [Dim]) -> (known: Int, names: [String], unknown: Int) {
        var k = 1, names: [String] = [], unknown = 0
        for d in dims {
            switch d {
            case .known(let v): let (p, o) = k.multipliedReportingOverflow(by: v); if o { unknown += 1 } else { k = p }
            case .symbolic(let s): names.append(s)
            case .unknown: unknown += 1
            }
        }
        return (k, names, unknown)
    }

    static func count(_ dims: [Dim]) -> Int? { checkedProduct(dims.compactMap(\.value)).flatMap { dims.allSatisfy { $0.value != nil } ? $0 : nil } }

    static func product<C: Collection>(_ dims: C) -> Dim where C.Element == Dim { dims.reduce(Dim.known(1), *) }

    /// The error for an output whose rank is known only at run time.
    func dataDependent(_ what: String) -> ShapeDependsOnData {
        ShapeDependsOnData("operation \"\(name)\": \(what) is computed while the model runs, so its output's shape is unknown until then")
    }

    static func range(_ rank: Int, _ start: Int?, _ end: Int?) -> (Int, Int) {
        func norm(_ v: Int) -> Int { min(max(v < 0 ? v + rank : v, 0), rank) }
        let lo = norm(start ?? 0), hi = norm(end ?? rank)
        return (lo, max(lo, hi))
    }

    static func axis(_ a: Int, _ rank: Int, _ name: String) throws -> Int {
        let n = a < 0 ? a + rank : a
        guard n >= 0, n < rank else { throw LayerError("operation \"\(name)\": axis \(a) is out of range for rank \(rank)") }
        return n
    }

    static func merge(_ a: Dim, _ b: Dim) -> Dim {
        switch (a, b) {
        case (.known, _): return a
        case (_, .known): return b
        case (.symbolic, _): return a
        default: return b
        }
    }

    static func text(_ dims: [Dim]) -> String { "(" + dims.map(\.description).joined(separator: ", ") + ")" }

    /// NumPy broadcasting, names kept where an axis is open.
    static func broadcast(_ shapes: [[Dim]], _ name: String) throws -> [Dim] {
        let rank = shapes.map(\.count).max() ?? 0
        var out = Array(repeating: Dim.known(1), count: rank)
        for s in shapes {
            let offset = rank - s.count
            for (i, d) in s.enumerated() {
                let j = i + offset
                switch (out[j], d) {
                case (_, .known(1)): continue
                case (.known(1), _): out[j] = d
                case (.known(let a), .known(let b)) where a != b:
                    throw LayerError("operation \"\(name)\": shapes \(shapes.map(text).joined(separator: " and ")) cannot be broadcast together")
                case (.known, _): continue
                case (_, .known): out[j] = d
                case (.symbolic(let a), .symbolic(let b)) where a == b: continue
                case (.symbolic, .symbolic): out[j] = .unknown
                case (.symbolic, .unknown): continue
                default: out[j] = d
                }
            }
        }
        return out
    }

    /// NumPy `matmul` shapes: 1-D operands promoted and the added axis dropped again,
    /// leading axes broadcast.
    static func matmul(_ a: [Dim], _ b: [Dim], _ name: String) throws -> [Dim] {
        guard !a.isEmpty, !b.isEmpty else { throw LayerError("operation \"\(name)\": matrix product of a scalar") }
        let a2 = a.count == 1 ? [.known(1)] + a : a
        let b2 = b.count == 1 ? b + [.known(1)] : b
        let ka = a2[a2.count - 1], kb = b2[b2.count - 2]
        if let x = ka.value, let y = kb.value, x != y {
            throw LayerError("operation \"\(name)\": inner sizes differ: \(text(a)) times \(text(b))")
        }
        let batch = try broadcast([Array(a2.dropLast(2)), Array(b2.dropLast(2))], name)
        var out = batch + [a2[a2.count - 2], b2[b2.count - 1]]
        if b.count == 1 { out.removeLast() }
        if a.count == 1 { out.remove(at: out.count - (b.count == 1 ? 1 : 2)) }
        return out
    }

    // MARK: Values

    /// The output's contents (one output of shape `shape`), when the function is shape
    /// arithmetic and its inputs' contents are known.
    func arrayValue(_ args: [Argument?], shape: [Int]) -> TensorValue? {
        func ints(_ i: Int) -> [Dim]? { i < args.count ? args[i]?.value?.dims : nil }
        switch function {
        case "constant":
            return args.first??.value
        case "shape":
            guard let x = args.first ?? nil else { return nil }
            let (lo, hi) = Self.range(x.shape.count, argument("start")?.intValue, argument("end")?.intValue)
            return TensorValue(shape: shape, elements: Array(x.shape[lo..<hi]))
        case "size":
            guard let x = args.first ?? nil else { return nil }
            return TensorValue(scalar: Self.product(x.shape))
        case "identity", "cast", "unsqueeze", "squeeze", "reshape", "flatten":
            guard let v = args.first??.value, v.count == checkedProduct(shape) else { return nil }
            if function == "cast", let to = argument("to")?.stringValue, to == "float", let d = v.doubles {
                return TensorValue(shape: shape, floats: d)
            }
            if let e = v.elements { return TensorValue(shape: shape, elements: e) }
            if function == "cast", argument("to")?.stringValue == "int", let d = v.doubles {
                return TensorValue(shape: shape, elements: d.map { .known(Int($0.rounded(.towardZero))) })
            }
            return TensorValue(shape: shape, floats: v.floats)
        case "gather":
            guard let data = args.first??.value, data.shape.count == 1, let e = data.dims, let idx = ints(1) else { return nil }
            var out: [Dim] = []
            for i in idx {
                guard let k = i.value else { return nil }
                let j = k < 0 ? k + e.count : k
                guard j >= 0, j < e.count else { return nil }
                out.append(e[j])
            }
            return TensorValue(shape: shape, elements: out)
        case "slice":
            guard let data = args.first??.value, data.shape.count == 1, let e = data.dims,
                  let s = ints(1)?.first?.value, let t = ints(2)?.first?.value else { return nil }
            let step = ints(4)?.first?.value ?? 1
            let len = e.count
            guard step != 0 else { return nil }
            var out: [Dim] = []
            if step > 0 {
                var i = min(max(s < 0 ? s + len : s, 0), len)
                let end = min(max(t < 0 ? t + len : t, 0), len)
                while i < end { out.append(e[i]); i += step }
            } else {
                var i = min(max(s < 0 ? s + len : s, -1), len - 1)
                let end = min(max(t < 0 ? (t < Int.min / 2 ? -1 : t + len) : t, -1), len - 1)
                while i > end { out.append(e[i]); i += step }
            }
            return out.count == checkedProduct(shape) ? TensorValue(shape: shape, elements: out) : nil
        case "concat":
            var out: [Dim] = []
            for a in args {
                guard let a, let v = a.value, v.shape.count <= 1, let d = v.dims else { return nil }
                out += d
            }
            return out.count == checkedProduct(shape) ? TensorValue(shape: shape, elements: out) : nil
        case "constant_of_shape":
            guard let count = checkedProduct(shape) else { return nil }
            let fill = argument("value")?.doubleValue ?? 0
            if fill.rounded() == fill, abs(fill) < 9e18 { return TensorValue(shape: shape, elements: Array(repeating: .known(Int(fill)), count: count)) }
            return TensorValue(shape: shape, floats: Array(repeating: fill, count: count))
        case "range":
            guard let a = args.first??.value?.doubles?.first, let d = (args.count > 2 ? args[2]?.value?.doubles?.first : nil),
                  let count = checkedProduct(shape) else { return nil }
            let values = (0..<count).map { a + Double($0) * d }
            if values.allSatisfy({ $0.rounded() == $0 }) { return TensorValue(shape: shape, elements: values.map { .known(Int($0)) }) }
            return TensorValue(shape: shape, floats: values)
        case "add", "sub", "subtract", "mul", "multiply", "div", "divide", "truediv", "maximum", "minimum", "equal", "where", "neg", "negative", "abs",
             "not", "and", "or", "greater", "less", "greater_equal", "less_equal", "not_equal":
            return elementwiseValue(args, shape: shape)
        default:
            return nil
        }
    }

    /// Integer arithmetic element by element, with a scalar or same-size operands.
    func elementwiseValue(_ args: [Argument?], shape: [Int]) -> TensorValue? {
        guard let count = checkedProduct(shape) else { return nil }
        var operands: [[Dim]] = []
        for a in args {
            guard let a, let d = a.value?.dims, d.count == 1 || d.count == count else { return nil }
            operands.append(d)
        }
        func at(_ k: Int, _ i: Int) -> Dim { operands[k].count == 1 ? operands[k][0] : operands[k][i] }
        var out: [Dim] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            let r: Dim
            switch function {
            case "add": r = at(0, i) + at(1, i)
            case "sub", "subtract": r = at(0, i) - at(1, i)
            case "mul", "multiply": r = at(0, i) * at(1, i)
            case "div", "divide", "truediv": r = at(0, i) / at(1, i)
            case "maximum", "minimum":
                guard let x = at(0, i).value, let y = at(1, i).value else { return nil }
                r = .known(function == "maximum" ? max(x, y) : min(x, y))
            case "equal":
                let x = at(0, i), y = at(1, i)
                if x == y, x != .unknown { r = .known(1) } else if let a = x.value, let b = y.value { r = .known(a == b ? 1 : 0) } else { return nil }
            case "where":
                guard let c = at(0, i).value else { return nil }
                r = c != 0 ? at(1, i) : at(2, i)
            case "neg", "negative": r = .known(0) - at(0, i)
            case "not": guard let x = at(0, i).value else { return nil }; r = .known(x == 0 ? 1 : 0)
            case "and", "or":
                guard let x = at(0, i).value, let y = at(1, i).value else { return nil }
                r = .known(function == "and" ? (x != 0 && y != 0 ? 1 : 0) : (x != 0 || y != 0 ? 1 : 0))
            case "greater", "less", "greater_equal", "less_equal", "not_equal":
                guard let x = at(0, i).value, let y = at(1, i).value else { return nil }
                let t: Bool
                switch function {
                case "greater": t = x > y
                case "less": t = x < y
                case "greater_equal": t = x >= y
                case "less_equal": t = x <= y
                default: t = x != y
                }
                r = .known(t ? 1 : 0)
            case "abs": guard let x = at(0, i).value else { return nil }; r = .known(abs(x))
            default: return nil
            }
            out.append(r)
        }
        return TensorValue(shape: shape, elements: out)
    }
}
