import ModelKit
import Foundation
import Kernels

/// Layer, RMS, group and L2 normalization over the operator's axes.
extension Executor {
    /// The input's axes split into kept axes then `axes` (sorted, normalised), as a permutation.
    func reductionPermutation(_ layer: Layer, _ x: Tensor, _ raw: [Int]) throws -> (perm: [Int], rows: Int, length: Int) {
        let rank = x.shape.count
        var axes: [Int] = []
        for a in raw {
            guard let n = TensorShape(x.shape.map { Optional($0) }).normalizedAxis(a) else {
                throw fail(layer, "axis \(a) is out of range for input shape \(x.shape)")
            }
            if !axes.contains(n) { axes.append(n) }
        }
        axes.sort()
        let kept = (0..<rank).filter { !axes.contains($0) }
        let length = axes.reduce(1) { $0 * x.shape[$1] }
        return (kept + axes, x.count / max(length, 1), length)
    }

    /// Applies `body(row, rowIndex)` to every row of `x` viewed as (rows, length) with the
    /// reduced axes last, and puts the axes back.
    func normalizeRows(_ layer: Layer, _ x: Tensor, axes: [Int],
                       _ body: (UnsafeMutableBufferPointer<Float>) -> Void) throws -> Tensor {
        let (perm, rows, length) = try reductionPermutation(layer, x, axes)
        var y = TensorLayout.permute(x, perm)
        y.data.withUnsafeMutableBufferPointer { p in
            for r in 0..<rows {
                body(UnsafeMutableBufferPointer(rebasing: p[(r * length)..<((r + 1) * length)]))
            }
        }
        return TensorLayout.permute(y, TensorLayout.inverse(perm))
    }

    static func moments(_ row: UnsafeMutableBufferPointer<Float>) -> (mean: Float, variance: Float) {
        var s: Float = 0
        for v in row { s += v }
        let mean = s / Float(max(row.count, 1))
        var q: Float = 0
        for v in row { let d = v - mean; q += d * d }
        return (mean, q / Float(max(row.count, 1)))
    }

    func runLayerNormalization(_ layer: Layer, _ k: LayerNormOp, _ x: Tensor) throws -> Tensor {
        let eps = Float(k.epsilon)
        let useGamma = k.scale || k.rmsScaling, useBeta = k.center && !k.rmsScaling
        let w = try params(layer, (useGamma ? 1 : 0) + (useBeta ? 1 : 0))
        let gamma = useGamma ? w[0].data : nil
        let beta = useBeta ? w[useGamma ? 1 : 0].data : nil
        let length = try reductionPermutation(layer, x, k.axis.axes).length
        for p in [gamma, beta] { if let p, p.count != length { throw fail(layer, "weights of size \(p.count) do not fit the \(length) normalised values") } }
        let rms = k.rmsScaling
        return try normalizeRows(layer, x, axes: k.axis.axes) { row in
            let (mean, variance) = Executor.moments(row)
            let inv = 1 / (variance + eps).squareRoot()
            for j in 0..<row.count {
                // With rmsScaling: divided by the root of the centred variance, not centred.
                var v = rms ? row[j] * inv : (row[j] - mean) * inv
                if let gamma { v *= gamma[j] }
                if let beta { v += beta[j] }
                row[j] = v
            }
        }
    }

    func runRMSNormalization(_ layer: Layer, _ k: RMSNormOp, _ x: Tensor) throws -> Tensor {
        let eps = Float(k.epsilon)
        let w = try params(layer, 1)
        let scale = w[0].data
        let length = try reductionPermutation(layer, x, k.axis.axes).length
        guard scale.count == length else { throw fail(layer, "scale of size \(scale.count) does not fit the \(length) normalised values") }
        return try normalizeRows(layer, x, axes: k.axis.axes) { row in
            var s: Float = 0
            for v in row { s += v * v }
            let inv = 1 / (s / Float(max(row.count, 1)) + eps).squareRoot()
            for j in 0..<row.count { row[j] = row[j] * inv * scale[j] }
        }
    }

    func runUnitNormalization(_ layer: Layer, _ k: L2NormalizeOp, _ x: Tensor) throws -> Tensor {
        try unitNormalize(layer, x, axes: k.axis.axes)
    }

    func unitNormalize(_ layer: Layer, _ x: Tensor, axes: [Int]) throws -> Tensor {
        try normalizeRows(layer, x, axes: axes) { row in
            var s: Float = 0
            for v in row { s += v * v }
            // x * min(rsqrt(sum x²), 1 / epsilon), epsilon 1e-12.
            let inv = min(1 / s.squareRoot(), 1e12)
            for j in 0..<row.count { row[j] *= inv }
        }
    }

    func runGroupNormalization(_ layer: Layer, _ k: GroupNormOp, _ x: Tensor) throws -> Tensor {
        let eps = Float(k.epsilon)
        guard x.shape.count >= 2, let axis = TensorShape(x.shape.map { Optional($0) }).normalizedAxis(k.axis), axis > 0 else {
            throw fail(layer, "axis \(k.axis) does not name a channel axis of input \(x.shape)")
        }
        let c = x.shape[axis]
        let groups = k.groups == -1 ? c : k.groups
        guard groups > 0, c % groups == 0 else { throw fail(layer, "\(groups) groups do not divide \(c) channels") }
        let w = try params(layer, (k.scale ? 1 : 0) + (k.center ? 1 : 0))
        let gamma = k.scale ? w[0].data : nil
        let beta = k.center ? w[k.scale ? 1 : 0].data : nil
        // (batch, positions, channels) with the channel axis last.
        let rank = x.shape.count
        let perm = [0] + (1..<rank).filter { $0 != axis } + [axis]
        var y = TensorLayout.permute(x, perm)
        let batch = x.shape[0], positions = x.count / max(batch * c, 1), per = c / groups
        y.data.withUnsafeMutableBufferPointer { p in
            for b in 0..<batch {
                let base = b * positions * c
                for g in 0..<groups {
                    var s: Float = 0
                    for i in 0..<positions { for j in 0..<per { s += p[base + i * c + g * per + j] } }
                    let n = Float(max(positions * per, 1))
                    let mean = s / n
                    var q: Float = 0
                    for i in 0..<positions { for j in 0..<per { let d = p[base + i * c + g * per + j] - mean; q += d * d } }
                    let inv = 1 / (q / n + eps).squareRoot()
                    for i in 0..<positions {
                        for j in 0..<per {
                            let ch = g * per + j
                            var v = (p[base + i * c + ch] - mean) * inv
                            if let gamma { v *= gamma[ch] }
                            if let beta { v += beta[ch] }
                            p[base + i * c + ch] = v
                        }
                    }
                }
            }
        }
        return TensorLayout.permute(y, TensorLayout.inverse(perm))
    }
}
