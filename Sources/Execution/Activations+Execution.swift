import ModelKit
import Foundation
import Kernels

/// Element-wise activation functions by Keras name, as Keras 3 computes them (Keras 2's
/// `hard_sigmoid` differs and is chosen by `dialect`).
public enum ActivationFunctions {
    public static func map(_ x: Tensor, _ f: (Float) -> Float) -> Tensor {
        var y = x
        for i in y.data.indices { y.data[i] = f(y.data[i]) }
        return y
    }

    static func sigmoid(_ v: Float) -> Float { v >= 0 ? 1 / (1 + expf(-v)) : expf(v) / (1 + expf(v)) }

    /// Keras `relu(x, negative_slope, max_value, threshold)` (keras/src/layers/activations/relu.py).
    public static func relu(_ x: Tensor, negativeSlope: Float = 0, maxValue: Float? = nil, threshold: Float = 0) -> Tensor {
        map(x) { v in
            var pos: Float = threshold != 0 ? (v > threshold ? v : 0) : max(v, 0)
            if let m = maxValue { pos = min(max(pos, 0), m) }
            if negativeSlope != 0 {
                let neg = max(threshold - v, 0)
                if maxValue == nil && threshold == 0 { return v >= 0 ? v : negativeSlope * v }
                pos -= negativeSlope * neg
            }
            return pos
        }
    }

    /// Softmax along `axis` (already non-negative).
    public static func softmax(_ x: Tensor, axis: Int) -> Tensor {
        var y = x
        let n = x.shape[axis]
        let inner = x.shape[(axis + 1)...].reduce(1, *)
        let outer = x.count / max(n * inner, 1)
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * n * inner + i
                var m = -Float.infinity
                for k in 0..<n { m = max(m, x.data[base + k * inner]) }
                var s: Float = 0
                for k in 0..<n { let e = expf(x.data[base + k * inner] - m); y.data[base + k * inner] = e; s += e }
                for k in 0..<n { y.data[base + k * inner] /= s }
            }
        }
        return y
    }

    /// Applies the activation called `name` (nil: linear). Throws for a name the executor
    /// does not know, naming `context`.
    public static func apply(_ name: String?, _ x: Tensor, dialect: String = "keras3", context: String) throws -> Tensor {
        guard let name else { return x }
        switch name {
        case "linear": return x
        case "relu": return map(x) { max($0, 0) }
        case "relu6": return map(x) { min(max($0, 0), 6) }
        case "sigmoid": return map(x, sigmoid)
        case "tanh": return map(x) { tanhf($0) }
        case "softmax", "softmax_v2": return softmax(x, axis: x.shape.count - 1)
        case "elu": return map(x) { $0 > 0 ? $0 : expf($0) - 1 }
        case "selu":
            let scale: Float = 1.0507009873554805, alpha: Float = 1.6732632423543772
            return map(x) { $0 > 0 ? scale * $0 : scale * alpha * (expf($0) - 1) }
        case "softplus": return map(x) { max($0, 0) + log1pf(expf(-abs($0))) }
        case "softsign": return map(x) { $0 / (1 + abs($0)) }
        case "swish", "silu": return map(x) { $0 * sigmoid($0) }
        case "gelu": return map(x) { v in Float(0.5 * Double(v) * (1 + erf(Double(v) / 2.0.squareRoot()))) }
        case "hard_sigmoid":
            if dialect == "keras2" { return map(x) { min(max(0.2 * $0 + 0.5, 0), 1) } }
            return map(x) { min(max($0 + 3, 0), 6) / 6 }
        case "hard_swish", "hard_silu": return map(x) { $0 * min(max($0 + 3, 0), 6) / 6 }
        case "leaky_relu": return map(x) { $0 >= 0 ? $0 : 0.2 * $0 }
        case "exponential": return map(x) { expf($0) }
        case "mish": return map(x) { $0 * tanhf(max($0, 0) + log1pf(expf(-abs($0)))) }
        default:
            throw ExecutionError("\(context): activation \"\(name)\" not runnable yet")
        }
    }
}
