import Foundation
import Kernels
import ModelKit

// The array functions graph formats write as nodes (`TensorFunctionOp` with the neutral
// names and attribute keys of `TensorFunctionOp+Arrays.swift`): shape arithmetic, gathers,
// slices, reshapes, padding, resizing, reductions, matrix products, normalizations,
// quantization. Whole numbers (indices, shapes, booleans as 0/1) travel as floats.
extension Executor {
    /// The arguments of a function call in operand order: graph tensors from `args`, held
    /// constants (from the layer's weights, in order, or from their known contents), numbers,
    /// and nil where an optional argument is left out.
    func arrayArguments(_ layer: Layer, _ op: TensorFunctionOp, _ args: [Tensor]) throws -> [Tensor?] {
        guard let saved = op.operands else { return args }
        let held = weights[prefix + layer.name] ?? []
        var next = 0, constant = 0
        var out: [Tensor?] = []
        for operand in saved {
            switch operand {
            case .tensor:
                guard next < args.count else { throw fail(layer, "the call names more tensors than the \(args.count) given") }
                out.append(args[next])
                next += 1
            case .scalar(let v): out.append(Tensor(shape: [], data: [Float(v)]))
            case .constant(let value):
                defer { constant += 1 }
                guard let t = value.tensor(held: constant < held.count ? held[constant] : nil) else {
                    throw fail(layer, "a constant operand of shape \(value.shape) has no contents the engine can read")
                }
                out.append(t)
            case .absent: out.append(nil)
            case .unsupported(let what): throw fail(layer, "not runnable yet: \(what)")
            }
        }
        return out
    }

    /// Runs an array function; nil when `op` is not one this file knows (the older inline
    /// functions then apply).
    func arrayFunction(_ layer: Layer, _ op: TensorFunctionOp, _ args: [Tensor]) throws -> [Tensor]? {
        let f = op.function
        guard Self.arrayFunctions.contains(f) || (op.operands?.contains(where: {
            switch $0 { case .constant, .absent: return true; default: return false }
        }) ?? false) else { return nil }
        // A call with an argument the reader could not resolve is the older path's (which
        // reads the resolved attributes, or refuses).
        if op.operands?.contains(where: { if case .unsupported = $0 { return true }; return false }) ?? false { return nil }
        // Keras's inline reshape names its target as a list; the older path runs it.
        if f == "reshape", op.argument("shape") != nil { return nil }
        if ["mean", "sum", "max", "min"].contains(f), op.argument("initial") != nil { return nil }
        let xs = try arrayArguments(layer, op, args)
        func x(_ i: Int, _ what: String) throws -> Tensor {
            guard i < xs.count, let t = xs[i] else { throw fail(layer, "needs its \(what) (argument \(i + 1))") }
            return t
        }
        func opt(_ i: Int) -> Tensor? { i < xs.count ? xs[i] : nil }
        func attr(_ k: String) -> JSONValue? { op.argument(k) }
        func int(_ k: String, _ d: Int) -> Int { attr(k)?.intValue ?? (attr(k)?.boolValue.map { $0 ? 1 : 0 }) ?? d }
        func double(_ k: String, _ d: Double) -> Double { attr(k)?.doubleValue ?? d }
        func ints(_ k: String) -> [Int]? {
            guard let v = attr(k) else { return nil }
            if let a = v.arrayValue { return a.compactMap(\.intValue) }
            return v.intValue.map { [$0] }
        }
        func axis(_ a: Int, _ rank: Int) throws -> Int {
            guard let n = NDArray.axis(a, rank) else { throw fail(layer, "axis \(a) is out of range for rank \(rank)") }
            return n
        }
        func binary(_ g: @escaping (Float, Float) -> Float) throws -> [Tensor] {
            let parts = xs.compactMap { $0 }
            guard var acc = parts.first else { throw fail(layer, "has no operands") }
            for t in parts.dropFirst() {
                guard let y = SpatialTensors.broadcast(acc, t, g) else {
                    throw fail(layer, "shapes \(acc.shape) and \(t.shape) do not broadcast")
                }
                acc = y
            }
            return [acc]
        }
        func unary(_ g: (Float) -> Float) throws -> [Tensor] { [ActivationFunctions.map(try x(0, "input"), g)] }
        func bool(_ v: Bool) -> Float { v ? 1 : 0 }

        switch f {
        // Element-wise.
        case "add": return try binary(+)
        case "sub", "subtract": return try binary(-)
        case "mul", "multiply": return try binary(*)
        case "div", "divide", "truediv": return try binary(/)
        case "pow", "power": return try binary { powf($0, $1) }
        case "maximum": return try binary { $0.isNaN || $1.isNaN ? .nan : max($0, $1) }
        case "minimum": return try binary { $0.isNaN || $1.isNaN ? .nan : min($0, $1) }
        case "mean_of":
            var s = try binary(+)[0]
            let n = Float(xs.compactMap { $0 }.count)
            for i in s.data.indices { s.data[i] /= n }
            return [s]
        case "mod":
            if int("fmod", 0) != 0 { return try binary { fmodf($0, $1) } }
            return try binary { a, b in
                guard b != 0 else { return 0 }
                let r = fmodf(a, b)
                return r != 0 && ((r < 0) != (b < 0)) ? r + b : r
            }
        case "equal": return try binary { bool($0 == $1) }
        case "greater": return try binary { bool($0 > $1) }
        case "less": return try binary { bool($0 < $1) }
        case "greater_equal": return try binary { bool($0 >= $1) }
        case "less_equal": return try binary { bool($0 <= $1) }
        case "and": return try binary { bool($0 != 0 && $1 != 0) }
        case "or": return try binary { bool($0 != 0 || $1 != 0) }
        case "xor": return try binary { bool(($0 != 0) != ($1 != 0)) }
        case "not": return try unary { bool($0 == 0) }
        case "prelu":
            return try binary { v, s in v < 0 ? v * s : v }
        case "where":
            let c = try x(0, "condition"), a = try x(1, "X"), b = try x(2, "Y")
            guard let s1 = SpatialTensors.broadcastShape(c.shape, a.shape), let shape = SpatialTensors.broadcastShape(s1, b.shape) else {
                throw fail(layer, "shapes \(c.shape), \(a.shape) and \(b.shape) do not broadcast")
            }
            let (cc, aa, bb) = (NDArray.expand(c, to: shape), NDArray.expand(a, to: shape), NDArray.expand(b, to: shape))
            var out = aa
            for i in out.data.indices where cc.data[i] == 0 { out.data[i] = bb.data[i] }
            return [out]
        case "neg", "negative": return try unary { -$0 }
        case "abs", "absolute": return try unary { abs($0) }
        case "sqrt": return try unary { $0.squareRoot() }
        case "reciprocal": return try unary { 1 / $0 }
        case "exp": return try unary { expf($0) }
        case "log": return try unary { logf($0) }
        case "floor": return try unary { $0.rounded(.down) }
        case "ceil": return try unary { $0.rounded(.up) }
        case "round": return try unary { $0.rounded(.toNearestOrEven) }
        case "sign": return try unary { $0 > 0 ? 1 : $0 < 0 ? -1 : 0 }
        case "erf": return try unary { erff($0) }
        case "sin": return try unary { sinf($0) }
        case "cos": return try unary { cosf($0) }
        case "tan": return try unary { tanf($0) }
        case "asin": return try unary { asinf($0) }
        case "acos": return try unary { acosf($0) }
        case "atan": return try unary { atanf($0) }
        case "sinh": return try unary { sinhf($0) }
        case "cosh": return try unary { coshf($0) }
        case "tanh": return try unary { tanhf($0) }
        case "is_nan": return try unary { bool($0.isNaN) }
        case "is_inf": return try unary { bool($0.isInfinite) }
        case "identity":
            return Array(xs.compactMap { $0 }.prefix(max(op.argument("outputs")?.intValue ?? 1, 1)))
        case "cast":
            let to = attr("to")?.stringValue ?? "float"
            switch to {
            case "float": return [try x(0, "input")]
            case "int": return try unary { $0.isFinite ? $0.rounded(.towardZero) : 0 }
            case "bool": return try unary { bool($0 != 0) }
            default: throw fail(layer, "not runnable yet: a cast to \(to)")
            }
        case "celu":
            let a = Float(double("alpha", 1))
            return try unary { max(0, $0) + min(0, a * (expf($0 / a) - 1)) }
        case "thresholded_relu":
            let a = Float(double("alpha", 1))
            return try unary { $0 > a ? $0 : 0 }
        case "shrink":
            let l = Float(double("lambd", 0.5)), b = Float(double("bias", 0))
            return try unary { $0 < -l ? $0 + b : $0 > l ? $0 - b : 0 }
        case "clip":
            let input = try x(0, "input")
            var lo = attr("min")?.doubleValue.map(Float.init) ?? -.infinity
            var hi = attr("max")?.doubleValue.map(Float.init) ?? .infinity
            if let t = opt(1), let v = t.data.first { lo = v }
            if let t = opt(2), let v = t.data.first { hi = v }
            return [ActivationFunctions.map(input) { $0.isNaN ? $0 : min(max($0, lo), hi) }]
        case "softmax", "log_softmax", "hardmax":
            let input = try x(0, "input")
            let a = try axis(int("axis", -1), input.shape.count)
            // Before opset 13 the input is flattened at the axis into rows.
            let flat = int("flatten", 0) != 0
            let (outer, length, inner) = flat ? (input.shape[..<a].reduce(1, *), input.shape[a...].reduce(1, *), 1) : NDArray.around(input.shape, a)
            return [Self.rows(input, outer: outer, length: length, inner: inner, kind: f)]
        // Shapes.
        case "constant":
            return [try x(0, "value")]
        case "shape":
            let input = try x(0, "input")
            let r = input.shape.count
            func clampIndex(_ v: Int?, _ d: Int) -> Int { guard let v else { return d }; return min(max(v < 0 ? v + r : v, 0), r) }
            let lo = clampIndex(attr("start")?.intValue, 0), hi = clampIndex(attr("end")?.intValue, r)
            return [NDArray.tensor(ints: Array(input.shape[lo..<max(lo, hi)]))]
        case "size":
            return [Tensor(shape: [], data: [Float(try x(0, "input").count)])]
        case "gather":
            return [try gather(layer, try x(0, "data"), try x(1, "indices"), axis: int("axis", 0))]
        case "gather_elements":
            return [try gatherElements(layer, try x(0, "data"), try x(1, "indices"), axis: int("axis", 0))]
        case "slice":
            return [try slice(layer, try x(0, "input"), starts: opt(1), ends: opt(2), axes: opt(3), steps: opt(4))]
        case "concat", "concatenate":
            let parts = xs.compactMap { $0 }
            let nonScalar = parts.filter { !$0.shape.isEmpty }
            return [try concatenate(layer, nonScalar.isEmpty ? parts : nonScalar, axis: int("axis", 0))]
        case "unsqueeze":
            let input = try x(0, "input")
            let given = ints("axis") ?? opt(1).map(NDArray.ints)
            guard let given else { throw fail(layer, "needs the axes to insert") }
            let rank = input.shape.count + given.count
            let set = Set(try given.map { try axis($0, rank) })
            var it = input.shape.makeIterator()
            return [Tensor(shape: (0..<rank).map { set.contains($0) ? 1 : it.next()! }, data: input.data)]
        case "squeeze":
            let input = try x(0, "input")
            let given = ints("axis") ?? opt(1).map(NDArray.ints)
            let set = Set(try (given ?? input.shape.indices.filter { input.shape[$0] == 1 }).map { try axis($0, input.shape.count) })
            return [Tensor(shape: input.shape.indices.filter { !set.contains($0) }.map { input.shape[$0] }, data: input.data)]
        case "reshape":
            let input = try x(0, "input")
            guard let target = opt(1) else { return nil }
            var shape = NDArray.ints(target)
            let allowZero = int("allowzero", 0) != 0
            for i in shape.indices where shape[i] == 0 && !allowZero {
                guard i < input.shape.count else { throw fail(layer, "shape \(shape) copies axis \(i) of input \(input.shape), which it lacks") }
                shape[i] = input.shape[i]
            }
            if let i = shape.firstIndex(of: -1) {
                let known = shape.enumerated().filter { $0.offset != i }.reduce(1) { $0 * $1.element }
                guard known > 0, input.count % known == 0 else { throw fail(layer, "cannot reshape \(input.shape) to \(shape)") }
                shape[i] = input.count / known
            }
            guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == input.count else { throw fail(layer, "cannot reshape \(input.shape) to \(shape)") }
            return [Tensor(shape: shape, data: input.data)]
        case "flatten":
            let input = try x(0, "input")
            let a = try axis(int("axis", 1), input.shape.count + 1)
            return [Tensor(shape: [input.shape[..<a].reduce(1, *), input.shape[a...].reduce(1, *)], data: input.data)]
        case "expand":
            let input = try x(0, "input")
            let target = NDArray.ints(try x(1, "shape"))
            guard let shape = SpatialTensors.broadcastShape(input.shape, target), target.allSatisfy({ $0 >= 0 }), Self.fits(shape) else {
                throw fail(layer, "input \(input.shape) does not broadcast to \(target)")
            }
            return [NDArray.expand(input, to: shape)]
        case "tile":
            let input = try x(0, "input")
            let reps = NDArray.ints(try x(1, "repeats"))
            guard reps.count == input.shape.count, reps.allSatisfy({ $0 >= 0 }), Self.fits(zip(input.shape, reps).map { $0 * min($1, 1 << 31) }) else { throw fail(layer, "repeats \(reps) do not fit input \(input.shape)") }
            return [Self.tile(input, reps)]
        case "constant_of_shape":
            let shape = NDArray.ints(try x(0, "shape"))
            guard shape.allSatisfy({ $0 >= 0 }), Self.fits(shape) else { throw fail(layer, "shape \(shape) has a negative size or too many elements") }
            return [Tensor(shape: shape, data: [Float](repeating: Float(double("value", 0)), count: shape.reduce(1, *)))]
        case "range":
            let a = try x(0, "start").data.first ?? 0, b = try x(1, "limit").data.first ?? 0, d = try x(2, "delta").data.first ?? 1
            guard d != 0 else { throw fail(layer, "has a step of zero") }
            let span = ((Double(b) - Double(a)) / Double(d)).rounded(.up)
            guard span.isFinite, span < Double(Self.elementLimit) else { throw fail(layer, "range from \(a) to \(b) in steps of \(d) is too long") }
            let n = max(Int(span), 0)
            return [Tensor(shape: [n], data: (0..<n).map { a + Float($0) * d })]
        case "transpose":
            let input = try x(0, "input")
            let perm = ints("perm") ?? Array((0..<input.shape.count).reversed())
            guard perm.count == input.shape.count, Set(perm) == Set(0..<perm.count) else {
                throw fail(layer, "perm \(perm) does not fit input \(input.shape)")
            }
            return [input.permuted(perm)]
        case "split":
            return try split(layer, try x(0, "input"), sizes: ints("split") ?? opt(1).map(NDArray.ints), axis: int("axis", 0),
                             outputs: max(int("outputs", 1), 1))
        case "pad":
            return [try pad(layer, op, try x(0, "input"), pads: ints("pads") ?? opt(1).map(NDArray.ints),
                            value: opt(2)?.data.first ?? Float(double("value", 0)), axes: opt(3).map(NDArray.ints))]
        case "resize":
            return [try resize(layer, op, try x(0, "input"), scales: opt(2), sizes: opt(3))]
        case "depth_to_space", "space_to_depth":
            return [try depthSpace(layer, try x(0, "input"), block: int("blocksize", 0), toSpace: f == "depth_to_space",
                                   crd: attr("mode")?.stringValue == "CRD")]
        case "topk":
            let input = try x(0, "input")
            guard let k = opt(1).flatMap({ NDArray.ints($0).first }) else { throw fail(layer, "needs k") }
            return try topK(layer, input, k: k, axis: axis(int("axis", -1), input.shape.count), largest: int("largest", 1) != 0)
        case "cumsum":
            let input = try x(0, "input")
            let a = try axis(opt(1).flatMap { NDArray.ints($0).first } ?? 0, input.shape.count)
            return [Self.cumsum(input, axis: a, exclusive: int("exclusive", 0) != 0, reverse: int("reverse", 0) != 0)]
        case "argmax", "argmin":
            let input = try x(0, "input")
            let a = try axis(int("axis", 0), input.shape.count)
            return [Self.argReduce(input, axis: a, max: f == "argmax", keepDims: int("keepdims", 1) != 0, last: int("select_last_index", 0) != 0)]
        case "mean", "sum", "max", "min", "prod", "l1", "l2", "log_sum", "log_sum_exp", "sum_square":
            let input = try x(0, "input")
            let rank = input.shape.count
            var given = ints("axis")
            if given == nil, let from = attr("axis_from")?.intValue { given = Array(min(max(from, 0), rank)..<rank) }
            if given == nil, let t = opt(1) { given = NDArray.ints(t) }
            if given == nil || given!.isEmpty {
                if int("noop_with_empty_axes", 0) != 0 { return [input] }
                given = Array(0..<rank)
            }
            let axes = Set(try given!.map { try axis($0, rank) }).sorted()
            let keep = attr("keepdims").map { $0.boolValue ?? (($0.intValue ?? 0) != 0) } ?? false
            return [Self.reduce(input, axes: axes, keepDims: keep, kind: f)]
        case "one_hot":
            let idx = try x(0, "indices")
            guard let depth = opt(1).flatMap({ NDArray.ints($0).first }), depth > 0 else { throw fail(layer, "needs a positive depth") }
            let values = try x(2, "values")
            let (off, on) = (values.data.first ?? 0, values.data.count > 1 ? values.data[1] : 1)
            let a = try axis(int("axis", -1), idx.shape.count + 1)
            let outer = idx.shape[..<a].reduce(1, *), inner = idx.shape[a...].reduce(1, *)
            var out = [Float](repeating: off, count: outer * depth * inner)
            for o in 0..<outer {
                for i in 0..<inner {
                    let raw = idx.data[o * inner + i]
                    guard raw.isFinite, abs(raw) < 1e9 else { continue }
                    var v = Int(raw)
                    if v < 0 { v += depth }
                    if v >= 0 && v < depth { out[(o * depth + v) * inner + i] = on }
                }
            }
            var shape = idx.shape
            shape.insert(depth, at: a)
            return [Tensor(shape: shape, data: out)]
        // Products.
        case "matmul":
            if int("integer", 0) != 0 {
                let a = Self.shifted(try x(0, "A"), by: opt(2)), b = Self.shifted(try x(1, "B"), by: opt(3))
                return [try matmul(layer, a, b)]
            }
            return [try matmul(layer, try x(0, "A"), try x(1, "B"))]
        case "gemm":
            return [try gemm(layer, op, try x(0, "A"), try x(1, "B"), opt(2))]
        // Normalizations.
        case "layer_normalization":
            let input = try x(0, "input")
            let a = try axis(int("axis", -1), input.shape.count)
            return [Self.normalize(input, from: a, epsilon: Float(double("epsilon", 1e-5)), scale: opt(1), bias: opt(2))]
        case "instance_normalization", "group_normalization":
            let input = try x(0, "input")
            guard input.shape.count >= 3 else { throw fail(layer, "expects a channels-first input of rank 3 or more, found \(input.shape)") }
            let c = input.shape[1]
            let groups = f == "group_normalization" ? int("num_groups", 0) : c
            guard groups > 0, c % groups == 0 else { throw fail(layer, "\(groups) groups do not divide \(c) channels") }
            return [try groupNorm(layer, input, groups: groups, epsilon: Float(double("epsilon", 1e-5)), scale: opt(1), bias: opt(2))]
        case "batch_normalization":
            let input = try x(0, "input")
            let scale = try x(1, "scale"), bias = try x(2, "bias"), mean = try x(3, "mean"), variance = try x(4, "variance")
            guard input.shape.count >= 2 else { throw fail(layer, "expects an input of rank 2 or more") }
            let c = input.shape[1], inner = input.shape[2...].reduce(1, *)
            guard [scale, bias, mean, variance].allSatisfy({ $0.count == c }) else { throw fail(layer, "statistics do not fit \(c) channels") }
            let eps = Float(double("epsilon", 1e-5))
            var out = input
            for i in out.data.indices {
                let ch = (i / inner) % c
                out.data[i] = (out.data[i] - mean.data[ch]) / (variance.data[ch] + eps).squareRoot() * scale.data[ch] + bias.data[ch]
            }
            return [out]
        case "lrn":
            return [try lrn(layer, try x(0, "input"), size: int("size", 0), alpha: Float(double("alpha", 1e-4)),
                            beta: Float(double("beta", 0.75)), bias: Float(double("bias", 1)))]
        // Quantization.
        case "quantize":
            let input = try x(0, "input"), scale = try x(1, "scale")
            let zero = opt(2)
            let (lo, hi): (Float, Float) = attr("output_type")?.stringValue == "int8" ? (-128, 127) : (0, 255)
            return [try perAxis(layer, input, scale, zero, axis: int("axis", 1)) { v, s, z in
                min(max((v / s).rounded(.toNearestOrEven) + z, lo), hi)
            }]
        case "dequantize":
            let input = try x(0, "input"), scale = try x(1, "scale")
            return [try perAxis(layer, input, scale, opt(2), axis: int("axis", 1)) { v, s, z in (v - z) * s }]
        case "dynamic_quantize":
            let input = try x(0, "input")
            let lo = min(input.data.min() ?? 0, 0), hi = max(input.data.max() ?? 0, 0)
            let scale = (hi - lo) / 255
            let zero = scale == 0 ? 0 : min(max((-lo / scale).rounded(.toNearestOrEven), 0), 255)
            let q = ActivationFunctions.map(input) { scale == 0 ? zero : min(max(($0 / scale).rounded(.toNearestOrEven) + zero, 0), 255) }
            return [q, Tensor(shape: [], data: [scale]), Tensor(shape: [], data: [zero])]
        case "lstm", "gru", "rnn":
            return try recurrentNode(layer, op, xs)
        case "gelu_tanh":
            let k = Float((2 / Double.pi).squareRoot())
            return try unary { 0.5 * $0 * (1 + tanhf(k * ($0 + 0.044715 * $0 * $0 * $0))) }
        case "einsum":
            guard let eq = attr("equation")?.stringValue else { throw fail(layer, "needs its equation") }
            return [try einsum(layer, eq, xs.compactMap { $0 })]
        case "max_pool", "average_pool":
            return try poolFunction(layer, op, try x(0, "input"), average: f == "average_pool")
        case "transposed_convolution":
            return [try transposedConvolutionFunction(layer, op, try x(0, "input"), try x(1, "weight"), opt(2))]
        case "convolution":
            return [try convolutionFunction(layer, op, try x(0, "input"), try x(1, "weight"), opt(2), integer: int("integer", 0) != 0,
                                            zeroPoints: (opt(2), opt(3)))]
        default:
            return nil
        }
    }

    /// The most elements a tensor made by a shape the graph computes may have (2^31: 8 GiB
    /// of floats); a larger one is refused rather than attempted.
    static let elementLimit = 1 << 31

    /// Whether a tensor of `shape` stays within `elementLimit` (no overflow on the way).
    static func fits(_ shape: [Int]) -> Bool {
        var n = 1
        for d in shape {
            guard d >= 0 else { return false }
            let (p, o) = n.multipliedReportingOverflow(by: d)
            guard !o, p <= elementLimit else { return false }
            n = p
        }
        return true
    }

    /// Functions this file runs whatever their operands.
    static let arrayFunctions: Set<String> = [
        "add", "sub", "mul", "div", "pow", "mean_of", "mod", "equal", "greater", "less", "greater_equal", "less_equal", "and", "or",
        "xor", "not", "prelu", "where", "reciprocal", "floor", "ceil", "round", "sign", "erf", "sin", "cos", "tan", "asin", "acos",
        "atan", "sinh", "cosh", "is_nan", "is_inf", "cast", "celu", "thresholded_relu", "shrink", "clip", "log_softmax", "hardmax",
        "constant", "shape", "size", "gather", "gather_elements", "slice", "concat", "unsqueeze", "squeeze", "flatten", "expand",
        "tile", "constant_of_shape", "range", "split", "pad", "resize", "depth_to_space", "space_to_depth", "topk", "cumsum",
        "argmax", "argmin", "prod", "l1", "l2", "log_sum", "log_sum_exp", "sum_square", "one_hot", "matmul", "gemm",
        "layer_normalization", "instance_normalization", "group_normalization", "batch_normalization", "lrn", "quantize",
        "dequantize", "dynamic_quantize", "convolution", "lstm", "gru", "rnn", "gelu_tanh", "einsum", "max_pool", "average_pool",
        "transposed_convolution", "mean", "sum", "max", "min", "reshape", "transpose", "softmax",
        "maximum", "minimum", "neg", "abs", "sqrt", "exp", "log", "tanh", "identity",
    ]

    // MARK: - Gathers and slices

    func gather(_ layer: Layer, _ data: Tensor, _ indices: Tensor, axis raw: Int) throws -> Tensor {
        guard let a = NDArray.axis(raw, data.shape.count) else { throw fail(layer, "axis \(raw) is out of range for \(data.shape)") }
        let (outer, length, inner) = NDArray.around(data.shape, a)
        let idx = try NDArray.ints(indices).map { i -> Int in
            let n = i < 0 ? i + length : i
            guard n >= 0, n < length else { throw fail(layer, "index \(i) is out of range for axis \(a) of size \(length)") }
            return n
        }
        var out = [Float](repeating: 0, count: outer * idx.count * inner)
        data.data.withUnsafeBufferPointer { dp in
            out.withUnsafeMutableBufferPointer { op in
                var o = 0
                for b in 0..<outer {
                    for i in idx {
                        let src = (b * length + i) * inner
                        for j in 0..<inner { op[o + j] = dp[src + j] }
                        o += inner
                    }
                }
            }
        }
        return Tensor(shape: Array(data.shape[..<a]) + indices.shape + Array(data.shape[(a + 1)...]), data: out)
    }

    func gatherElements(_ layer: Layer, _ data: Tensor, _ indices: Tensor, axis raw: Int) throws -> Tensor {
        let rank = data.shape.count
        guard let a = NDArray.axis(raw, rank), indices.shape.count == rank else { throw fail(layer, "indices \(indices.shape) do not fit data \(data.shape)") }
        let ds = NDArray.strides(data.shape), isx = NDArray.strides(indices.shape)
        var out = [Float](repeating: 0, count: indices.count)
        let idx = NDArray.ints(indices)
        for p in 0..<indices.count {
            var src = 0
            for d in 0..<rank {
                var c = (p / isx[d]) % indices.shape[d]
                if d == a {
                    c = idx[p] < 0 ? idx[p] + data.shape[a] : idx[p]
                    guard c >= 0, c < data.shape[a] else { throw fail(layer, "index \(idx[p]) is out of range for axis \(a) of size \(data.shape[a])") }
                }
                src += c * ds[d]
            }
            out[p] = data.data[src]
        }
        return Tensor(shape: indices.shape, data: out)
    }

    func slice(_ layer: Layer, _ x: Tensor, starts: Tensor?, ends: Tensor?, axes: Tensor?, steps: Tensor?) throws -> Tensor {
        guard let starts, let ends else { throw fail(layer, "needs starts and ends") }
        let s = NDArray.ints(starts), e = NDArray.ints(ends)
        let rank = x.shape.count
        let ax = try (axes.map(NDArray.ints) ?? Array(0..<s.count)).map { a -> Int in
            guard let n = NDArray.axis(a, rank) else { throw fail(layer, "axis \(a) is out of range for \(x.shape)") }
            return n
        }
        let st = steps.map(NDArray.ints) ?? Array(repeating: 1, count: s.count)
        guard s.count == e.count, ax.count == s.count, st.count == s.count else {
            throw fail(layer, "starts \(s), ends \(e), axes \(ax) and steps \(st) differ in length")
        }
        var start = [Int](repeating: 0, count: rank), step = [Int](repeating: 1, count: rank), shape = x.shape
        for (i, a) in ax.enumerated() {
            let n = x.shape[a], k = st[i]
            guard k != 0 else { throw fail(layer, "step 0 on axis \(a)") }
            var b = s[i] < 0 ? s[i] + n : s[i], f = e[i] < 0 ? e[i] + n : e[i]
            if k > 0 {
                b = min(max(b, 0), n); f = min(max(f, 0), n)
                shape[a] = max(0, (f - b + k - 1) / k)
            } else {
                b = min(max(b, -1), n - 1); f = min(max(f, -1), n - 1)
                shape[a] = max(0, (b - f + (-k) - 1) / (-k))
            }
            start[a] = shape[a] > 0 ? b : 0
            step[a] = k
        }
        return NDArray.strided(x, start: start, step: step, shape: shape)
    }

    func split(_ layer: Layer, _ x: Tensor, sizes given: [Int]?, axis raw: Int, outputs: Int) throws -> [Tensor] {
        guard let a = NDArray.axis(raw, x.shape.count) else { throw fail(layer, "axis \(raw) is out of range for \(x.shape)") }
        let total = x.shape[a]
        var sizes: [Int]
        if let given {
            sizes = given
        } else {
            let each = (total + outputs - 1) / outputs
            sizes = (0..<outputs).map { max(min(each, total - $0 * each), 0) }
        }
        guard sizes.reduce(0, +) == total, sizes.allSatisfy({ $0 >= 0 }) else { throw fail(layer, "sizes \(sizes) do not add up to \(total)") }
        var out: [Tensor] = []
        var at = 0
        for n in sizes {
            var shape = x.shape
            shape[a] = n
            var start = [Int](repeating: 0, count: shape.count)
            start[a] = at
            out.append(NDArray.strided(x, start: start, step: [Int](repeating: 1, count: shape.count), shape: shape))
            at += n
        }
        return out
    }

    static func tile(_ x: Tensor, _ reps: [Int]) -> Tensor {
        let shape = zip(x.shape, reps).map { $0 * $1 }
        let xs = NDArray.strides(x.shape), os = NDArray.strides(shape)
        var out = [Float](repeating: 0, count: shape.reduce(1, *))
        for o in out.indices {
            var src = 0
            for d in shape.indices { src += ((o / os[d]) % shape[d] % x.shape[d]) * xs[d] }
            out[o] = x.data[src]
        }
        return Tensor(shape: shape, data: out)
    }

    // MARK: - Padding, resizing, rearranging

    func pad(_ layer: Layer, _ op: TensorFunctionOp, _ x: Tensor, pads given: [Int]?, value: Float, axes given2: [Int]?) throws -> Tensor {
        let rank = x.shape.count
        guard let given else { return x }
        let axes = try (given2 ?? Array(0..<rank)).map { a -> Int in
            guard let n = NDArray.axis(a, rank) else { throw fail(layer, "axis \(a) is out of range for \(x.shape)") }
            return n
        }
        guard given.count == 2 * axes.count else { throw fail(layer, "pads \(given) do not fit input \(x.shape)") }
        var before = [Int](repeating: 0, count: rank), after = [Int](repeating: 0, count: rank)
        for (i, a) in axes.enumerated() { before[a] = given[i]; after[a] = given[i + axes.count] }
        let shape = (0..<rank).map { x.shape[$0] + before[$0] + after[$0] }
        guard shape.allSatisfy({ $0 >= 0 }), Self.fits(shape) else { throw fail(layer, "pads \(given) remove more than input \(x.shape) holds") }
        let mode = op.argument("mode")?.stringValue ?? "constant"
        guard ["constant", "reflect", "edge", "wrap"].contains(mode) else { throw fail(layer, "not runnable yet: padding mode \"\(mode)\"") }
        if mode == "reflect", (0..<rank).contains(where: { (before[$0] > 0 || after[$0] > 0) && x.shape[$0] < 2 }) {
            throw fail(layer, "reflect padding of an axis of size 1")
        }
        let xs = NDArray.strides(x.shape), os = NDArray.strides(shape)
        var out = [Float](repeating: value, count: shape.reduce(1, *))
        guard x.count > 0 else { return Tensor(shape: shape, data: out) }
        for o in out.indices {
            var src = 0, inside = true
            for d in 0..<rank {
                var c = (o / os[d]) % shape[d] - before[d]
                let n = x.shape[d]
                if c < 0 || c >= n {
                    switch mode {
                    case "edge": c = min(max(c, 0), n - 1)
                    case "wrap": c = ((c % n) + n) % n
                    case "reflect":
                        let period = 2 * (n - 1)
                        c = ((c % period) + period) % period
                        if c >= n { c = period - c }
                    default: inside = false
                    }
                }
                if !inside { break }
                src += c * xs[d]
            }
            if inside { out[o] = x.data[src] }
        }
        return Tensor(shape: shape, data: out)
    }

    /// Resize with the modes and coordinate transforms of the graph formats, one axis at a
    /// time (nearest, linear and cubic interpolation are separable).
    func resize(_ layer: Layer, _ op: TensorFunctionOp, _ x: Tensor, scales: Tensor?, sizes: Tensor?) throws -> Tensor {
        let rank = x.shape.count
        let axes = try (op.intList("axes") ?? Array(0..<rank)).map { a -> Int in
            guard let n = NDArray.axis(a, rank) else { throw fail(layer, "axis \(a) is out of range for \(x.shape)") }
            return n
        }
        var outShape = x.shape
        var scale = [Double](repeating: 1, count: rank)
        if let sizes, sizes.count > 0 {
            let s = NDArray.ints(sizes)
            guard s.count == axes.count else { throw fail(layer, "sizes \(s) do not fit input \(x.shape)") }
            let policy = op.argument("keep_aspect_ratio_policy")?.stringValue ?? "stretch"
            if policy != "stretch" {
                let ratios = axes.indices.map { Double(s[$0]) / Double(x.shape[axes[$0]]) }
                let r = policy == "not_larger" ? ratios.min()! : ratios.max()!
                for a in axes { scale[a] = r; outShape[a] = Int((Double(x.shape[a]) * r).rounded(.toNearestOrEven)) }
            } else {
                for (i, a) in axes.enumerated() { outShape[a] = s[i]; scale[a] = Double(s[i]) / Double(x.shape[a]) }
            }
        } else if let scales, scales.count > 0 {
            guard scales.count == axes.count else { throw fail(layer, "scales \(scales.data) do not fit input \(x.shape)") }
            for (i, a) in axes.enumerated() {
                scale[a] = Double(scales.data[i])
                let size = (Double(x.shape[a]) * scale[a]).rounded(.down)
                guard scale[a] > 0, size.isFinite, size < Double(Self.elementLimit) else { throw fail(layer, "scale \(scale[a]) on axis \(a) is not usable") }
                outShape[a] = Int(size)
            }
        } else {
            throw fail(layer, "needs scales or sizes")
        }
        guard outShape.allSatisfy({ $0 > 0 }), Self.fits(outShape) else { throw fail(layer, "output shape \(outShape) is empty or too large") }
        let mode = op.argument("mode")?.stringValue ?? "nearest"
        let transform = op.argument("coordinate_transformation_mode")?.stringValue ?? "half_pixel"
        let nearest = op.argument("nearest_mode")?.stringValue ?? "round_prefer_floor"
        let cubicA = op.argument("cubic_coeff_a")?.doubleValue ?? -0.75
        let exclude = (op.argument("exclude_outside")?.intValue ?? 0) != 0
        guard ["nearest", "linear", "cubic"].contains(mode) else { throw fail(layer, "not runnable yet: resize mode \"\(mode)\"") }
        guard ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric", "half_pixel_symmetric"].contains(transform) else {
            throw fail(layer, "not runnable yet: coordinate transformation \"\(transform)\"")
        }
        var y = x
        for a in 0..<rank where outShape[a] != y.shape[a] || scale[a] != 1 {
            let n = y.shape[a], m = outShape[a]
            // Source coordinate of output index i.
            func source(_ i: Int) -> Double {
                let s = scale[a]
                switch transform {
                case "align_corners": return m == 1 ? 0 : Double(i) * Double(n - 1) / Double(m - 1)
                case "asymmetric": return Double(i) / s
                case "pytorch_half_pixel": return m > 1 ? (Double(i) + 0.5) / s - 0.5 : 0
                case "half_pixel_symmetric":
                    let adj = Double(m) / (s * Double(n)), center = Double(n) / 2, offset = center * (1 - adj)
                    return offset + (Double(i) + 0.5) / s - 0.5
                default: return (Double(i) + 0.5) / s - 0.5
                }
            }
            var taps: [[(Int, Float)]] = []
            for i in 0..<m {
                let c = source(i)
                switch mode {
                case "nearest":
                    var k: Int
                    switch nearest {
                    case "floor": k = Int(c.rounded(.down))
                    case "ceil": k = Int(c.rounded(.up))
                    case "round_prefer_ceil": k = Int((c).rounded(.toNearestOrAwayFromZero)); if c - c.rounded(.down) == 0.5 { k = Int(c.rounded(.up)) }
                    default: k = c - c.rounded(.down) == 0.5 ? Int(c.rounded(.down)) : Int(c.rounded(.toNearestOrAwayFromZero))
                    }
                    taps.append([(min(max(k, 0), n - 1), Float(1))])
                case "linear":
                    let cc = min(max(c, 0), Double(n - 1))
                    let lo = Int(cc.rounded(.down)), hi = min(lo + 1, n - 1)
                    let t = Float(cc - Double(lo))
                    taps.append(lo == hi ? [(lo, Float(1))] : [(lo, 1 - t), (hi, t)])
                default:
                    let base = Int(c.rounded(.down)), t = c - Double(base)
                    func w(_ d: Double) -> Double {
                        let d = abs(d)
                        if d <= 1 { return ((cubicA + 2) * d - (cubicA + 3)) * d * d + 1 }
                        if d < 2 { return ((cubicA * d - 5 * cubicA) * d + 8 * cubicA) * d - 4 * cubicA }
                        return 0
                    }
                    var list: [(Int, Double)] = []
                    for k in -1...2 {
                        let idx = base + k
                        let wt = w(t - Double(k))
                        if exclude && (idx < 0 || idx >= n) { continue }
                        list.append((min(max(idx, 0), n - 1), wt))
                    }
                    let total = list.reduce(0) { $0 + $1.1 }
                    taps.append(list.map { ($0.0, Float(exclude ? $0.1 / total : $0.1)) })
                }
            }
            let (outer, _, inner) = NDArray.around(y.shape, a)
            var out = [Float](repeating: 0, count: outer * m * inner)
            y.data.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    for o in 0..<outer {
                        for i in 0..<m {
                            let d = (o * m + i) * inner
                            for (k, w) in taps[i] {
                                let s = (o * n + k) * inner
                                for j in 0..<inner { dst[d + j] += w * src[s + j] }
                            }
                        }
                    }
                }
            }
            var shape = y.shape
            shape[a] = m
            y = Tensor(shape: shape, data: out)
        }
        return y
    }

    func depthSpace(_ layer: Layer, _ x: Tensor, block b: Int, toSpace: Bool, crd: Bool) throws -> Tensor {
        guard x.shape.count == 4, b > 0 else { throw fail(layer, "expects a rank-4 input and a positive block size") }
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        if toSpace {
            guard c % (b * b) == 0 else { throw fail(layer, "\(c) channels do not divide into blocks of \(b)x\(b)") }
            let oc = c / (b * b)
            // DCR: (n, b, b, oc, h, w); CRD: (n, oc, b, b, h, w); both to (n, oc, h, b, w, b).
            let v = Tensor(shape: crd ? [n, oc, b, b, h, w] : [n, b, b, oc, h, w], data: x.data)
            let p = v.permuted(crd ? [0, 1, 4, 2, 5, 3] : [0, 3, 4, 1, 5, 2])
            return Tensor(shape: [n, oc, h * b, w * b], data: p.data)
        }
        guard h % b == 0, w % b == 0 else { throw fail(layer, "\(h)x\(w) does not divide into blocks of \(b)") }
        let v = Tensor(shape: [n, c, h / b, b, w / b, b], data: x.data)
        let p = v.permuted([0, 3, 5, 1, 2, 4])
        return Tensor(shape: [n, c * b * b, h / b, w / b], data: p.data)
    }

    // MARK: - Selections, sums

    func topK(_ layer: Layer, _ x: Tensor, k: Int, axis a: Int, largest: Bool) throws -> [Tensor] {
        let (outer, n, inner) = NDArray.around(x.shape, a)
        guard k >= 0, k <= n else { throw fail(layer, "k = \(k) is more than the \(n) values along axis \(a)") }
        var values = [Float](repeating: 0, count: outer * k * inner), indices = values
        var order = [Int](repeating: 0, count: n)
        for o in 0..<outer {
            for j in 0..<inner {
                for i in 0..<n { order[i] = i }
                let base = o * n * inner + j
                // Ties keep the lower index first, as the formats specify.
                order.sort { p, q in
                    let u = x.data[base + p * inner], v = x.data[base + q * inner]
                    if u == v { return p < q }
                    return largest ? u > v : u < v
                }
                for i in 0..<k {
                    values[(o * k + i) * inner + j] = x.data[base + order[i] * inner]
                    indices[(o * k + i) * inner + j] = Float(order[i])
                }
            }
        }
        var shape = x.shape
        shape[a] = k
        return [Tensor(shape: shape, data: values), Tensor(shape: shape, data: indices)]
    }

    static func cumsum(_ x: Tensor, axis a: Int, exclusive: Bool, reverse: Bool) -> Tensor {
        let (outer, n, inner) = NDArray.around(x.shape, a)
        var out = x
        for o in 0..<outer {
            for j in 0..<inner {
                var acc: Float = 0
                for t in 0..<n {
                    let i = reverse ? n - 1 - t : t
                    let p = (o * n + i) * inner + j
                    let v = x.data[p]
                    if exclusive { out.data[p] = acc; acc += v } else { acc += v; out.data[p] = acc }
                }
            }
        }
        return out
    }

    static func argReduce(_ x: Tensor, axis a: Int, max: Bool, keepDims: Bool, last: Bool) -> Tensor {
        let (outer, n, inner) = NDArray.around(x.shape, a)
        var out = [Float](repeating: 0, count: outer * inner)
        for o in 0..<outer {
            for j in 0..<inner {
                var best = 0
                var bv = x.data[o * n * inner + j]
                for i in 1..<Swift.max(n, 1) {
                    let v = x.data[(o * n + i) * inner + j]
                    let better = max ? (v > bv || (last && v == bv)) : (v < bv || (last && v == bv))
                    if better { best = i; bv = v }
                }
                out[o * inner + j] = Float(best)
            }
        }
        var shape = x.shape
        if keepDims { shape[a] = 1 } else { shape.remove(at: a) }
        return Tensor(shape: shape, data: out)
    }

    /// Reductions over sorted distinct `axes`.
    static func reduce(_ x: Tensor, axes: [Int], keepDims: Bool, kind: String) -> Tensor {
        let rank = x.shape.count
        let kept = (0..<rank).filter { !axes.contains($0) }
        let moved = axes == Array((rank - axes.count)..<rank) ? x : x.permuted(kept + axes)
        let block = axes.reduce(1) { $0 * x.shape[$1] }
        let rows = block == 0 ? kept.reduce(1) { $0 * x.shape[$1] } : x.count / block
        var out = [Float](repeating: 0, count: rows)
        moved.data.withUnsafeBufferPointer { xp in
            for r in 0..<rows {
                let base = r * block
                var acc: Double
                switch kind {
                case "max": acc = -.infinity
                case "min": acc = .infinity
                case "prod": acc = 1
                default: acc = 0
                }
                var peak = -Double.infinity
                if kind == "log_sum_exp" { for i in 0..<block { peak = Swift.max(peak, Double(xp[base + i])) } }
                for i in 0..<block {
                    let v = Double(xp[base + i])
                    switch kind {
                    case "max": acc = Swift.max(acc, v)
                    case "min": acc = Swift.min(acc, v)
                    case "prod": acc *= v
                    case "l1": acc += abs(v)
                    case "l2", "sum_square": acc += v * v
                    case "log_sum_exp": acc += Foundation.exp(v - peak)
                    default: acc += v
                    }
                }
                switch kind {
                case "mean": acc /= Double(Swift.max(block, 1))
                case "l2": acc = acc.squareRoot()
                case "log_sum": acc = Foundation.log(acc)
                case "log_sum_exp": acc = Foundation.log(acc) + peak
                default: break
                }
                out[r] = Float(acc)
            }
        }
        let shape = keepDims ? (0..<rank).map { axes.contains($0) ? 1 : x.shape[$0] } : kept.map { x.shape[$0] }
        return Tensor(shape: shape, data: out)
    }

    /// Softmax, log-softmax or hardmax along the middle axis of (outer, length, inner).
    static func rows(_ x: Tensor, outer: Int, length: Int, inner: Int, kind: String) -> Tensor {
        var out = x
        out.data.withUnsafeMutableBufferPointer { p in
            for o in 0..<outer {
                for j in 0..<inner {
                    let base = o * length * inner + j
                    var peak = -Float.infinity, at = 0
                    for i in 0..<length where p[base + i * inner] > peak { peak = p[base + i * inner]; at = i }
                    if kind == "hardmax" {
                        for i in 0..<length { p[base + i * inner] = i == at ? 1 : 0 }
                        continue
                    }
                    var sum: Float = 0
                    for i in 0..<length { sum += expf(p[base + i * inner] - peak) }
                    for i in 0..<length {
                        let v = p[base + i * inner] - peak
                        p[base + i * inner] = kind == "log_softmax" ? v - logf(sum) : expf(v) / sum
                    }
                }
            }
        }
        return out
    }

    // MARK: - Products

    /// NumPy's matmul: 1-D operands promoted and their axis dropped again, batch axes broadcast.
    func matmul(_ layer: Layer, _ a0: Tensor, _ b0: Tensor) throws -> Tensor {
        guard !a0.shape.isEmpty, !b0.shape.isEmpty else { throw fail(layer, "multiplies a scalar") }
        let a = a0.shape.count == 1 ? Tensor(shape: [1, a0.shape[0]], data: a0.data) : a0
        let b = b0.shape.count == 1 ? Tensor(shape: [b0.shape[0], 1], data: b0.data) : b0
        let (m, k) = (a.shape[a.shape.count - 2], a.shape[a.shape.count - 1])
        let (k2, n) = (b.shape[b.shape.count - 2], b.shape[b.shape.count - 1])
        guard k == k2 else { throw fail(layer, "shapes \(a0.shape) and \(b0.shape) do not multiply") }
        let ba = Array(a.shape.dropLast(2)), bb = Array(b.shape.dropLast(2))
        guard let batch = SpatialTensors.broadcastShape(ba, bb) else { throw fail(layer, "batch axes \(ba) and \(bb) do not broadcast") }
        let count = batch.reduce(1, *)
        let ea = NDArray.expand(Tensor(shape: ba, data: (0..<ba.reduce(1, *)).map(Float.init)), to: batch)
        let eb = NDArray.expand(Tensor(shape: bb, data: (0..<bb.reduce(1, *)).map(Float.init)), to: batch)
        var out = [Float](repeating: 0, count: count * m * n)
        if count == 1, let dnnl = backend as? DNNLBackend, m * n * k > 4096 {
            let y = dnnl.dense(Tensor(shape: [m, k], data: a.data), kernel: Tensor(shape: [k, n], data: b.data), bias: nil)
            out = y.data
        } else {
            a.data.withUnsafeBufferPointer { ap in
                b.data.withUnsafeBufferPointer { bp in
                    out.withUnsafeMutableBufferPointer { op in
                        for s in 0..<count {
                            let oa = Int(ea.data[s]) * m * k, ob = Int(eb.data[s]) * k * n, oo = s * m * n
                            for i in 0..<m {
                                for kk in 0..<k {
                                    let v = ap[oa + i * k + kk]
                                    let row = ob + kk * n
                                    for j in 0..<n { op[oo + i * n + j] += v * bp[row + j] }
                                }
                            }
                        }
                    }
                }
            }
        }
        var shape = batch
        if a0.shape.count > 1 { shape.append(m) }
        if b0.shape.count > 1 { shape.append(n) }
        return Tensor(shape: shape, data: out)
    }

    func gemm(_ layer: Layer, _ op: TensorFunctionOp, _ a: Tensor, _ b: Tensor, _ c: Tensor?) throws -> Tensor {
        guard a.shape.count == 2, b.shape.count == 2 else { throw fail(layer, "multiplies matrices, given \(a.shape) and \(b.shape)") }
        let ta = (op.argument("transA")?.intValue ?? 0) != 0, tb = (op.argument("transB")?.intValue ?? 0) != 0
        let alpha = Float(op.argument("alpha")?.doubleValue ?? 1), beta = Float(op.argument("beta")?.doubleValue ?? 1)
        var y = try matmul(layer, ta ? a.permuted([1, 0]) : a, tb ? b.permuted([1, 0]) : b)
        if alpha != 1 { for i in y.data.indices { y.data[i] *= alpha } }
        if let c {
            guard let s = SpatialTensors.broadcastShape(y.shape, c.shape), s == y.shape else { throw fail(layer, "C \(c.shape) does not broadcast to \(y.shape)") }
            let e = NDArray.expand(c, to: y.shape)
            for i in y.data.indices { y.data[i] += beta * e.data[i] }
        }
        return y
    }

    static func shifted(_ x: Tensor, by zero: Tensor?) -> Tensor {
        guard let zero, zero.count > 0 else { return x }
        if zero.count == 1 { return ActivationFunctions.map(x) { $0 - zero.data[0] } }
        return SpatialTensors.broadcast(x, zero, -) ?? x
    }

    // MARK: - Normalizations

    /// Normalizes over the axes from `from` on (mean 0, variance 1), then scales and shifts.
    static func normalize(_ x: Tensor, from a: Int, epsilon: Float, scale: Tensor?, bias: Tensor?) -> Tensor {
        let rows = x.shape[..<a].reduce(1, *), size = x.shape[a...].reduce(1, *)
        var out = x
        let sc = scale.map { NDArray.expand($0, to: Array(x.shape[a...])) }, bs = bias.map { NDArray.expand($0, to: Array(x.shape[a...])) }
        for r in 0..<rows {
            let base = r * size
            var mean: Float = 0
            for i in 0..<size { mean += x.data[base + i] }
            mean /= Float(max(size, 1))
            var v: Float = 0
            for i in 0..<size { let d = x.data[base + i] - mean; v += d * d }
            let inv = 1 / (v / Float(max(size, 1)) + epsilon).squareRoot()
            for i in 0..<size {
                var y = (x.data[base + i] - mean) * inv
                if let sc { y *= sc.data[i] }
                if let bs { y += bs.data[i] }
                out.data[base + i] = y
            }
        }
        return out
    }

    func groupNorm(_ layer: Layer, _ x: Tensor, groups: Int, epsilon: Float, scale: Tensor?, bias: Tensor?) throws -> Tensor {
        let (n, c) = (x.shape[0], x.shape[1])
        let spatial = x.shape[2...].reduce(1, *)
        let per = c / groups
        // Per-channel affine (instance and group normalization since opset 21) or per-group (opset 18).
        let perGroup = scale?.count == groups && groups != c
        if let scale, scale.count != c && !perGroup { throw fail(layer, "scale of \(scale.count) values fits neither \(c) channels nor \(groups) groups") }
        var out = x
        for b in 0..<n {
            for g in 0..<groups {
                let base = (b * c + g * per) * spatial, size = per * spatial
                var mean: Double = 0
                for i in 0..<size { mean += Double(x.data[base + i]) }
                mean /= Double(max(size, 1))
                var v: Double = 0
                for i in 0..<size { let d = Double(x.data[base + i]) - mean; v += d * d }
                let inv = 1 / (v / Double(max(size, 1)) + Double(epsilon)).squareRoot()
                for i in 0..<size {
                    let ch = g * per + i / spatial
                    let k = perGroup ? g : ch
                    let y = Float((Double(x.data[base + i]) - mean) * inv)
                    out.data[base + i] = y * (scale?.data[k] ?? 1) + (bias?.data[k] ?? 0)
                }
            }
        }
        return out
    }

    func lrn(_ layer: Layer, _ x: Tensor, size: Int, alpha: Float, beta: Float, bias: Float) throws -> Tensor {
        guard size > 0, x.shape.count >= 3 else { throw fail(layer, "needs a size and a channels-first input") }
        let (n, c) = (x.shape[0], x.shape[1]), inner = x.shape[2...].reduce(1, *)
        var out = x
        let lo = (size - 1) / 2, hi = size - 1 - lo
        for b in 0..<n {
            for ch in 0..<c {
                for i in 0..<inner {
                    var s: Float = 0
                    for k in max(0, ch - lo)...min(c - 1, ch + hi) { let v = x.data[(b * c + k) * inner + i]; s += v * v }
                    let p = (b * c + ch) * inner + i
                    out.data[p] = x.data[p] / powf(bias + alpha / Float(size) * s, beta)
                }
            }
        }
        return out
    }

    /// `g(value, scale, zero point)` with a per-tensor or per-axis scale and zero point.
    func perAxis(_ layer: Layer, _ x: Tensor, _ scale: Tensor, _ zero: Tensor?, axis raw: Int, _ g: (Float, Float, Float) -> Float) throws -> Tensor {
        var out = x
        if scale.count == 1 {
            let s = scale.data[0], z = zero?.data.first ?? 0
            for i in out.data.indices { out.data[i] = g(out.data[i], s, z) }
            return out
        }
        guard let a = NDArray.axis(raw, x.shape.count), x.shape[a] == scale.count else {
            throw fail(layer, "scale of \(scale.count) values does not fit axis \(raw) of \(x.shape)")
        }
        let (_, n, inner) = NDArray.around(x.shape, a)
        for i in out.data.indices {
            let ch = (i / inner) % n
            out.data[i] = g(out.data[i], scale.data[ch], zero.map { $0.data[ch] } ?? 0)
        }
        return out
    }

    // MARK: - Convolution with a computed weight

    /// A channels-first convolution (rank 1 to 3) whose weight `(O, I/g, k...)` the graph
    /// computes (dequantized weights, integer convolutions).
    func convolutionFunction(_ layer: Layer, _ op: TensorFunctionOp, _ x0: Tensor, _ w0: Tensor, _ b: Tensor?, integer: Bool,
                             zeroPoints: (Tensor?, Tensor?)) throws -> Tensor {
        var x = x0, w = w0, bias = b
        if integer { x = Self.shifted(x0, by: zeroPoints.0); w = Self.shifted(w0, by: zeroPoints.1.map { Tensor(shape: $0.count == 1 ? [] : [$0.count, 1, 1, 1].prefix(w0.shape.count).map { $0 }, data: $0.data) }); bias = nil }
        let rank = x.shape.count - 2
        guard rank >= 1, rank <= 3, w.shape.count == rank + 2 else { throw fail(layer, "input \(x.shape) and weight \(w.shape) do not fit a convolution") }
        let kernel = Array(w.shape[2...])
        let strides = op.intList("strides") ?? Array(repeating: 1, count: rank)
        let dilations = op.intList("dilations") ?? Array(repeating: 1, count: rank)
        var pads = op.intList("pads") ?? Array(repeating: 0, count: 2 * rank)
        let groups = op.argument("group")?.intValue ?? 1
        let spatial = Array(x.shape[2...])
        guard strides.count == rank, dilations.count == rank, pads.count == 2 * rank, groups >= 1 else {
            throw fail(layer, "strides \(strides), dilations \(dilations), pads \(pads) do not fit rank \(rank)")
        }
        if op.argument("padding")?.stringValue == "same" {
            let p = Self.samePads(spatial: spatial, kernel: kernel, strides: strides, dilation: dilations,
                                  lower: op.argument("same_lower")?.boolValue ?? false)
            pads = p.before + p.after
        }
        return try channelsFirstConvolution(layer, x, weightOIK: w, bias: bias, strides: strides, dilations: dilations,
                                            before: Array(pads[..<rank]), after: Array(pads[rank...]), groups: groups)
    }

    /// A channels-first convolution of rank 1 to 3 on the backend's 3-D convolution, the
    /// weight `(O, I/g, k...)`, explicit pads before and after each spatial axis.
    func channelsFirstConvolution(_ layer: Layer, _ x: Tensor, weightOIK w: Tensor, bias: Tensor?, strides: [Int], dilations: [Int],
                                  before: [Int], after: [Int], groups: Int) throws -> Tensor {
        let rank = x.shape.count - 2
        let perm = Array(2..<(rank + 2)) + [1, 0]
        let kernel = w.permuted(perm)  // (k..., I/g, O)
        return try channelsFirstConvolution(layer, x, kernelSpatialFirst: kernel, bias: bias, strides: strides, dilations: dilations,
                                            before: before, after: after, groups: groups)
    }

    func channelsFirstConvolution(_ layer: Layer, _ x: Tensor, kernelSpatialFirst k: Tensor, bias: Tensor?, strides: [Int], dilations: [Int],
                                  before: [Int], after: [Int], groups: Int) throws -> Tensor {
        let rank = x.shape.count - 2
        let spatial = Array(x.shape[2...])
        let ks = Array(k.shape[..<rank])
        var out: [Int] = []
        for i in 0..<rank {
            let extent: Int = (ks[i] - 1) * dilations[i] + 1
            let padded: Int = spatial[i] + before[i] + after[i]
            out.append((padded - extent) / strides[i] + 1)
        }
        guard out.allSatisfy({ $0 > 0 }), k.shape[rank] * groups == x.shape[1] else {
            throw fail(layer, "input \(x.shape) does not fit kernel \(k.shape) with \(groups) group(s) and pads \(before)/\(after)")
        }
        let lead = [Int](repeating: 1, count: 3 - rank), zero = [Int](repeating: 0, count: 3 - rank)
        let v = SpatialTensors.volume(SpatialTensors.channelsToLast(x))
        let win = Window3D(kernel: lead + ks, strides: lead + strides, dilation: lead + dilations, padBefore: zero + before, output: lead + out)
        let y = backend.conv3d(v, kernel: Tensor(shape: lead + k.shape, data: k.data), bias: bias, window: win, groups: groups)
        return SpatialTensors.channelsToFirst(SpatialTensors.unvolume(y, rank: rank))
    }
}
