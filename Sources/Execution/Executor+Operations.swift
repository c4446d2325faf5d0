import ModelKit
import Foundation
import Kernels

// Inline tensor functions (`x + 3.0`, `mean(x, axis)`): element-wise ones with the constant
// operands the reader resolved, and those configured by their arguments.
extension Executor {
    /// One argument of an operation call: a tensor (taken from `args` in order) or a number.
    enum Operand {
        case tensor(Tensor)
        case scalar(Float)

        var tensor: Tensor {
            switch self {
            case .tensor(let t): return t
            case .scalar(let v): return Tensor(shape: [], data: [v])
            }
        }
    }

    /// The operands in call order, tensors filled from `args` in order; the tensors
    /// themselves when the node keeps no call.
    func operands(_ layer: Layer, _ op: TensorFunctionOp, _ args: [Tensor]) throws -> [Operand] {
        guard let saved = op.operands else { return args.map { .tensor($0) } }
        var next = 0
        var out: [Operand] = []
        for operand in saved {
            switch operand {
            case .tensor:
                guard next < args.count else { throw fail(layer, "the saved call names more tensors than the \(args.count) given") }
                out.append(.tensor(args[next]))
                next += 1
            case .scalar(let v): out.append(.scalar(Float(v)))
            case .unsupported(let what): throw fail(layer, "not runnable yet: \(what)")
            case .constant(let value): throw fail(layer, "not runnable yet: a constant operand of shape \(value.shape)")
            case .absent: throw fail(layer, "not runnable yet: an optional operand left out")
            }
        }
        guard next == args.count else { throw fail(layer, "the saved call names \(next) tensors, \(args.count) given") }
        return out
    }

    /// Runs an operation node: element-wise ones with their constant arguments, and the ones
    /// configured by named arguments (reductions, concatenate, transpose, reshape).
    func operation(_ layer: Layer, _ op: TensorFunctionOp, _ args: [Tensor]) throws -> Tensor {
        let name = op.function
        if let y = try configuredOperation(layer, op, args) { return y }
        let xs = try operands(layer, op, args)
        func binary(_ f: @escaping (Float, Float) -> Float) throws -> Tensor {
            guard xs.count >= 2 else { throw fail(layer, "operation \"\(op.name)\" expects two operands, found \(xs.count)") }
            var acc = xs[0].tensor
            for t in xs.dropFirst() {
                guard let y = SpatialTensors.broadcast(acc, t.tensor, f) else {
                    throw fail(layer, "operation \"\(op.name)\": shapes \(acc.shape) and \(t.tensor.shape) do not broadcast")
                }
                acc = y
            }
            return acc
        }
        func unary(_ f: (Float) -> Float) throws -> Tensor {
            guard xs.count == 1 else { throw fail(layer, "not runnable yet: operation \"\(op.name)\" with \(xs.count) operands") }
            return ActivationFunctions.map(xs[0].tensor, f)
        }
        switch name {
        case "add", "radd": return try binary(+)
        case "subtract", "sub": return try binary(-)
        case "rsub": return try binary { $1 - $0 }
        case "multiply", "mul", "rmul": return try binary(*)
        case "truediv", "true_divide", "divide", "div": return try binary(/)
        case "rtruediv", "rdiv": return try binary { $1 / $0 }
        case "maximum": return try binary { max($0, $1) }
        case "minimum": return try binary { min($0, $1) }
        case "power", "pow": return try binary { powf($0, $1) }
        case "negative", "neg": return try unary { -$0 }
        case "abs", "absolute": return try unary { abs($0) }
        case "sqrt": return try unary { $0.squareRoot() }
        case "rsqrt": return try unary { 1 / $0.squareRoot() }
        case "square": return try unary { $0 * $0 }
        case "exp": return try unary { expf($0) }
        case "log": return try unary { logf($0) }
        case "tanh": return try unary { tanhf($0) }
        case "identity", "stop_gradient": return try unary { $0 }
        case _ where op.activation != nil:
            guard xs.count == 1 else { throw fail(layer, "not runnable yet: operation \"\(op.name)\" with \(xs.count) operands") }
            return try ActivationFunctions.apply(op.activation!, xs[0].tensor,
                                                 context: "layer \"\(prefix)\(layer.name)\" (\(layer.className))")
        default:
            throw fail(layer, "not runnable yet: operation \"\(op.name)\"")
        }
    }

    /// Functions configured by the named arguments the reader resolved (`axis`, `keepdims`,
    /// `perm`, `shape`): reductions, concatenate, transpose, reshape; nil for the others.
    private func configuredOperation(_ layer: Layer, _ op: TensorFunctionOp, _ args: [Tensor]) throws -> Tensor? {
        func value(_ key: String) -> JSONValue? { op.argument(key) }
        func axes(_ rank: Int) throws -> [Int] {
            guard let v = value("axis") else { return Array(0..<rank) }
            let raw = try (v.arrayValue ?? [v]).map { e -> Int in
                guard let a = e.intValue else { throw fail(layer, "operation \"\(op.name)\": axis \(v.brief) is not whole numbers") }
                return a
            }
            return try Set(raw.map { a -> Int in
                let n = a < 0 ? a + rank : a
                guard n >= 0, n < rank else { throw fail(layer, "operation \"\(op.name)\": axis \(a) out of range for rank \(rank)") }
                return n
            }).sorted()
        }
        let name = op.function
        switch name {
        case "mean", "sum", "max", "min":
            guard args.count == 1 else { return nil }
            if value("initial") != nil { throw fail(layer, "not runnable yet: \(op.name) with initial") }
            let x = args[0]
            let keep = value("keepdims")?.boolValue ?? false
            return Self.reduce(x, axes: try axes(x.shape.count), keepDims: keep, kind: name)
        case "concatenate", "concat":
            guard let a = value("axis")?.intValue else { return nil }
            return try concatenate(layer, args, axis: a)
        case "transpose":
            guard args.count == 1 else { return nil }
            let x = args[0]
            let order = value("perm")?.arrayValue?.compactMap(\.intValue) ?? Array((0..<x.shape.count).reversed())
            guard order.count == x.shape.count, Set(order) == Set(0..<x.shape.count) else {
                throw fail(layer, "transpose axes \(order) do not fit input \(x.shape)")
            }
            return TensorLayout.permute(x, order)
        case "reshape":
            guard args.count == 1, let list = value("shape")?.arrayValue else { return nil }
            let x = args[0]
            var shape = list.map { $0.intValue ?? -1 }
            if let i = shape.firstIndex(of: -1) {
                let known = shape.enumerated().filter { $0.offset != i }.reduce(1) { $0 * $1.element }
                guard known > 0, x.count % known == 0 else { throw fail(layer, "cannot reshape \(x.shape) to \(shape)") }
                shape[i] = x.count / known
            }
            guard shape.reduce(1, *) == x.count else { throw fail(layer, "cannot reshape \(x.shape) to \(shape)") }
            return Tensor(shape: shape, data: x.data)
        default:
            return nil
        }
    }
}
