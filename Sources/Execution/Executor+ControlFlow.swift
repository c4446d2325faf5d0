import Foundation
import Kernels
import ModelKit

// Branches, loops, scans and calls of a graph's own functions (`ControlFlowOp`): each nested
// graph runs on an Executor of its own with the weights its graph holds.
extension Executor {
    func runControlFlow(_ layer: Layer, _ op: ControlFlowOp, _ args: [Tensor]) throws -> [Tensor] {
        func formal(_ i: Int) throws -> Tensor? {
            if let held = op.heldArguments[i] {
                if let ints = held.ints, ints.count == held.shape.reduce(1, *) { return NDArray.tensor(ints: ints, shape: held.shape) }
                if let f = held.floats, f.count == held.shape.reduce(1, *) { return Tensor(shape: held.shape, data: f.map { Float($0) }) }
                throw fail(layer, "argument \(i + 1) is held by the file without contents the engine can read")
            }
            guard i < op.formal.count, let k = op.formal[i] else { return nil }
            guard k < args.count else { throw fail(layer, "argument \(i + 1) was not given") }
            return args[k]
        }
        func captured(_ g: Int) -> [Tensor] { op.captured[g].map { args[$0] } }
        func body(_ g: Int) throws -> Executor {
            let graph = op.graphs[g]
            let own = try graph.initializerWeights()
            return Executor(graph: graph, weights: own, backend: backend, prefix: "")
        }
        func run(_ g: Int, _ inputs: [Tensor]) throws -> [Tensor] {
            do { return try body(g).run(inputs) } catch let e as ExecutionError {
                throw fail(layer, "inside \(op.labels[g]): \(e.message)")
            }
        }
        switch op.kind {
        case .branch:
            guard let c = try formal(0), let v = c.data.first else { throw fail(layer, "needs its condition") }
            let g = v != 0 ? 0 : min(1, op.graphs.count - 1)
            return Array(try run(g, captured(g)).prefix(op.outputCount))
        case .call:
            let inputs = try (0..<op.graphs[0].inputs.count - op.captured[0].count).map { i -> Tensor in
                guard let t = try formal(i) else { throw fail(layer, "function argument \(i + 1) is left out") }
                return t
            }
            return Array(try run(0, inputs + captured(0)).prefix(op.outputCount))
        case .loop:
            let trips = try formal(0).flatMap { NDArray.ints($0).first }
            var condition = try formal(1).map { ($0.data.first ?? 0) != 0 } ?? true
            var carried = try (2..<max(op.formal.count, 2)).map { i -> Tensor in
                guard let t = try formal(i) else { throw fail(layer, "loop-carried value \(i - 1) is left out") }
                return t
            }
            let caps = captured(0)
            var scans: [[Tensor]] = []
            var i = 0
            let limit = 10_000_000
            while condition && (trips.map { i < $0 } ?? true) {
                guard i < limit else { throw fail(layer, "ran \(limit) iterations without stopping") }
                let outs = try run(0, [Tensor(shape: [], data: [Float(i)]), Tensor(shape: [], data: [1])] + carried + caps)
                guard outs.count >= 1 + carried.count else { throw fail(layer, "its body gives \(outs.count) outputs for \(carried.count) carried values") }
                condition = (outs[0].data.first ?? 0) != 0
                carried = Array(outs[1..<(1 + carried.count)])
                let extra = Array(outs[(1 + carried.count)...])
                if scans.isEmpty { scans = extra.map { [$0] } } else { for (k, t) in extra.enumerated() { scans[k].append(t) } }
                i += 1
            }
            let scanCount = op.outputCount - carried.count
            let stacked = try (0..<max(scanCount, 0)).map { k -> Tensor in
                guard k < scans.count else { return Tensor(shape: [0], data: []) }
                return try stack(layer, scans[k])
            }
            return Array((carried + stacked).prefix(op.outputCount))
        case .scan:
            let states = op.formal.count - op.scanInputs
            var state = try (0..<states).map { i -> Tensor in
                guard let t = try formal(i) else { throw fail(layer, "scan state \(i + 1) is left out") }
                return t
            }
            let sequences = try (states..<op.formal.count).map { i -> Tensor in
                guard let t = try formal(i), !t.shape.isEmpty else { throw fail(layer, "scan input \(i - states + 1) is not a sequence") }
                return t
            }
            let steps = sequences.first?.shape[0] ?? 0
            guard sequences.allSatisfy({ $0.shape[0] == steps }) else { throw fail(layer, "scan inputs differ in length: \(sequences.map(\.shape))") }
            let caps = captured(0)
            var scans: [[Tensor]] = []
            for t in 0..<steps {
                let slices = sequences.map { s -> Tensor in
                    let inner = Array(s.shape.dropFirst()), size = inner.reduce(1, *)
                    return Tensor(shape: inner, data: Array(s.data[(t * size)..<((t + 1) * size)]))
                }
                let outs = try run(0, state + slices + caps)
                guard outs.count >= states else { throw fail(layer, "its body gives \(outs.count) outputs for \(states) states") }
                state = Array(outs[..<states])
                let extra = Array(outs[states...])
                if scans.isEmpty { scans = extra.map { [$0] } } else { for (k, v) in extra.enumerated() { scans[k].append(v) } }
            }
            return Array((state + (try scans.map { try stack(layer, $0) })).prefix(op.outputCount))
        }
    }

    /// Tensors of one shape stacked along a new first axis.
    func stack(_ layer: Layer, _ parts: [Tensor]) throws -> Tensor {
        guard let first = parts.first else { return Tensor(shape: [0], data: []) }
        guard parts.allSatisfy({ $0.shape == first.shape }) else { throw fail(layer, "gives scan outputs of different shapes \(parts.map(\.shape))") }
        return Tensor(shape: [parts.count] + first.shape, data: parts.flatMap(\.data))
    }

    /// Max or average pooling of a channels-first tensor (1 to 3 spatial axes) with explicit
    /// pads, ceil mode and, for averages, padding counted or not.
    func channelsFirstPool(_ layer: Layer, _ w: PoolingWindow, _ x: Tensor, average: Bool) throws -> Tensor {
        let rank = w.layout.spatialRank
        guard x.shape.count == rank + 2 else { throw fail(layer, "expects an input of rank \(rank + 2), found shape \(x.shape)") }
        let spatial = Array(x.shape[2...])
        let k = w.poolSize, s = w.strides
        var before = [Int](repeating: 0, count: rank), after = before
        if let pads = w.pads { before = pads.before; after = pads.after }
        if w.padding == "same" {
            for i in 0..<rank {
                let out = (spatial[i] + s[i] - 1) / s[i]
                let total = max((out - 1) * s[i] + k[i] - spatial[i], 0)
                before[i] = w.sameLower ? total - total / 2 : total / 2
                after[i] = total - before[i]
            }
        }
        let out: [Int] = (0..<rank).map { i in
            let span = spatial[i] + before[i] + after[i] - k[i]
            var o = (w.ceilMode ? (span + s[i] - 1) / s[i] : span / s[i]) + 1
            // A last window starting inside the right padding is dropped.
            if w.ceilMode && (o - 1) * s[i] >= spatial[i] + before[i] { o -= 1 }
            return o
        }
        guard out.allSatisfy({ $0 > 0 }) else { throw fail(layer, "window \(k) does not fit input \(x.shape)") }
        let (n, c) = (x.shape[0], x.shape[1])
        let cells = spatial.reduce(1, *), outCells = out.reduce(1, *)
        let sp3 = [Int](repeating: 1, count: 3 - rank) + spatial, o3 = [Int](repeating: 1, count: 3 - rank) + out
        let k3 = [Int](repeating: 1, count: 3 - rank) + k, s3 = [Int](repeating: 1, count: 3 - rank) + s
        let b3 = [Int](repeating: 0, count: 3 - rank) + before, a3 = [Int](repeating: 0, count: 3 - rank) + after
        var y = [Float](repeating: 0, count: n * c * outCells)
        x.data.withUnsafeBufferPointer { xp in
            for plane in 0..<(n * c) {
                let base = plane * cells
                for od in 0..<o3[0] { for oh in 0..<o3[1] { for ow in 0..<o3[2] {
                    var acc: Float = average ? 0 : -.infinity
                    var counted = 0
                    let start = [od * s3[0] - b3[0], oh * s3[1] - b3[1], ow * s3[2] - b3[2]]
                    var padded = 1
                    for a in 0..<3 {
                        let lo = max(start[a], -b3[a]), hi = min(start[a] + k3[a], sp3[a] + a3[a])
                        padded *= max(hi - lo, 0)
                    }
                    for kd in 0..<k3[0] {
                        let d = start[0] + kd
                        guard d >= 0, d < sp3[0] else { continue }
                        for kh in 0..<k3[1] {
                            let h = start[1] + kh
                            guard h >= 0, h < sp3[1] else { continue }
                            for kw in 0..<k3[2] {
                                let ww = start[2] + kw
                                guard ww >= 0, ww < sp3[2] else { continue }
                                let v = xp[base + (d * sp3[1] + h) * sp3[2] + ww]
                                if average { acc += v } else { acc = max(acc, v) }
                                counted += 1
                            }
                        }
                    }
                    if average { acc /= Float(max(w.countIncludePad ? padded : counted, 1)) }
                    y[plane * outCells + (od * o3[1] + oh) * o3[2] + ow] = acc
                } } }
            }
        }
        return Tensor(shape: [n, c] + out, data: y)
    }
}
