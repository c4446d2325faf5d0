import ModelKit
import Foundation
import Kernels

/// Element-wise activation functions on tensors.
public enum ActivationFunctions {
    public static func map(_ x: Tensor, _ f: (Float) -> Float) -> Tensor {
        var y = x
        for i in y.data.indices { y.data[i] = f(y.data[i]) }
        return y
    }

    static func sigmoid(_ v: Float) -> Float { v >= 0 ? 1 / (1 + expf(-v)) : expf(v) / (1 + expf(v)) }

    /// Rectified linear unit with cap, slope and threshold: values above `threshold` pass
    /// (capped at `maxValue`), values below become `negativeSlope * (x - threshold)`; with
    /// neither cap nor threshold, a leaky ReLU.
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

    /// Applies `function`. Throws for a function the engine has no kernel for, naming
    /// `context`.
    public static func apply(_ function: ActivationFunction, _ x: Tensor, context: String) throws -> Tensor {
        switch function {
        case .linear: return x
        case .softmax: return softmax(x, axis: x.shape.count - 1)
        default:
            guard let f = ScalarActivation.resolve(function) else {
                throw ExecutionError("\(context): activation \"\(function)\" not runnable yet")
            }
            return map(x, f)
        }
    }
}
