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
        func run(_ g: Int, _ inputs: [Tensor]) throws -> [Tensor] {
            do { return try bodies.runner(for: op.graphs[g], key: "\(prefix)\(layer.name)#\(g)", inputs: inputs, backend: backend).run(inputs, layerTimer: nil) }
            catch let e as ExecutionError { throw fail(layer, "inside \(op.labels[g]): \(e.message)") }
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
            guard (op.scanInputAxes + op.scanOutputAxes).allSatisfy({ $0 == 0 }) else {
                throw fail(layer, "not runnable yet: scan axes \(op.scanInputAxes) / \(op.scanOutputAxes) other than the first")
            }
            let steps = sequences.first?.shape[0] ?? 0
            guard sequences.allSatisfy({ $0.shape[0] == steps }) else { throw fail(layer, "scan inputs differ in length: \(sequences.map(\.shape))") }
            let caps = captured(0)
            var scans: [[Tensor]] = []
            for t in 0..<steps {
                let slices = sequences.enumerated().map { k, s -> Tensor in
                    let inner = Array(s.shape.dropFirst()), size = inner.reduce(1, *)
                    let at = k < op.scanInputDirections.count && op.scanInputDirections[k] == 1 ? steps - 1 - t : t
                    return Tensor(shape: inner, data: Array(s.data[(at * size)..<((at + 1) * size)]))
                }
                let outs = try run(0, state + slices + caps)
                guard outs.count >= states else { throw fail(layer, "its body gives \(outs.count) outputs for \(states) states") }
                state = Array(outs[..<states])
                let extra = Array(outs[states...])
                if scans.isEmpty { scans = extra.map { [$0] } } else { for (k, v) in extra.enumerated() { scans[k].append(v) } }
            }
            let stacked = try scans.enumerated().map { k, parts in
                try stack(layer, k < op.scanOutputDirections.count && op.scanOutputDirections[k] == 1 ? parts.reversed() : parts)
            }
            return Array((state + stacked).prefix(op.outputCount))
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
        var before = [Int](repeating: 0, count: rank), after = before
        if let pads = w.pads { before = pads.before; after = pads.after }
        if w.padding == "same" {
            for i in 0..<rank {
                let out = (spatial[i] + w.strides[i] - 1) / w.strides[i]
                let total = max((out - 1) * w.strides[i] + w.poolSize[i] - spatial[i], 0)
                before[i] = w.sameLower ? total - total / 2 : total / 2
                after[i] = total - before[i]
            }
        }
        return try pool(layer, x, kernel: w.poolSize, strides: w.strides, dilation: [Int](repeating: 1, count: rank), before: before,
                        after: after, ceil: w.ceilMode, includePad: w.countIncludePad, average: average, indices: false)[0]
    }

    /// The pooling function of graph formats (dilated windows, MaxPool's indices): its
    /// attributes `kernel_shape`, `strides`, `pads`, `dilations`, `ceil_mode`, `auto_pad`,
    /// `count_include_pad`.
    func poolFunction(_ layer: Layer, _ op: TensorFunctionOp, _ x: Tensor, average: Bool) throws -> [Tensor] {
        let rank = x.shape.count - 2
        guard rank >= 1, rank <= 3, let kernel = op.intList("kernel_shape"), kernel.count == rank else {
            throw fail(layer, "needs a kernel_shape of \(max(rank, 0)) entries for input \(x.shape)")
        }
        let strides = op.intList("strides") ?? Array(repeating: 1, count: rank)
        let dilation = op.intList("dilations") ?? Array(repeating: 1, count: rank)
        let pads = op.intList("pads") ?? Array(repeating: 0, count: 2 * rank)
        guard strides.count == rank, dilation.count == rank, pads.count == 2 * rank else { throw fail(layer, "window attributes do not fit rank \(rank)") }
        var before = Array(pads[..<rank]), after = Array(pads[rank...])
        let auto = op.argument("auto_pad")?.stringValue ?? "NOTSET"
        if auto.hasPrefix("SAME") || auto == "VALID" {
            for i in 0..<rank {
                guard auto != "VALID" else { before[i] = 0; after[i] = 0; continue }
                let n = x.shape[i + 2], out = (n + strides[i] - 1) / strides[i]
                let total = max((out - 1) * strides[i] + (kernel[i] - 1) * dilation[i] + 1 - n, 0)
                before[i] = auto == "SAME_LOWER" ? total - total / 2 : total / 2
                after[i] = total - before[i]
            }
        }
        let wantIndices = !average && (op.argument("outputs")?.intValue ?? 1) > 1
        return try pool(layer, x, kernel: kernel, strides: strides, dilation: dilation, before: before, after: after,
                        ceil: (op.argument("ceil_mode")?.intValue ?? 0) != 0, includePad: (op.argument("count_include_pad")?.intValue ?? 0) != 0,
                        average: average, indices: wantIndices)
    }

    /// The pooling loop: windows with dilation over explicit pads; the max's flat index
    /// into the input (row-major) as a second output when `indices`.
    func pool(_ layer: Layer, _ x: Tensor, kernel: [Int], strides: [Int], dilation: [Int], before: [Int], after: [Int], ceil: Bool,
              includePad: Bool, average: Bool, indices: Bool) throws -> [Tensor] {
        let rank = kernel.count
        let spatial = Array(x.shape[2...])
        let out: [Int] = (0..<rank).map { i in
            let extent = (kernel[i] - 1) * dilation[i] + 1
            let span = spatial[i] + before[i] + after[i] - extent
            var o = (ceil ? (span + strides[i] - 1) / strides[i] : span / strides[i]) + 1
            // A last window starting inside the right padding is dropped.
            if ceil && (o - 1) * strides[i] >= spatial[i] + before[i] { o -= 1 }
            return o
        }
        guard out.allSatisfy({ $0 > 0 }), strides.allSatisfy({ $0 > 0 }) else { throw fail(layer, "window \(kernel) does not fit input \(x.shape)") }
        let lead = 3 - rank
        func three(_ v: [Int], _ fill: Int) -> [Int] { [Int](repeating: fill, count: lead) + v }
        let sp3 = three(spatial, 1), o3 = three(out, 1), k3 = three(kernel, 1), s3 = three(strides, 1), d3 = three(dilation, 1)
        let b3 = three(before, 0), a3 = three(after, 0)
        let (n, c) = (x.shape[0], x.shape[1])
        let cells = spatial.reduce(1, *), outCells = out.reduce(1, *)
        var y = [Float](repeating: 0, count: n * c * outCells)
        var where_ = [Float](repeating: 0, count: indices ? y.count : 0)
        x.data.withUnsafeBufferPointer { xp in
            for plane in 0..<(n * c) {
                let base = plane * cells
                for od in 0..<o3[0] { for oh in 0..<o3[1] { for ow in 0..<o3[2] {
                    var acc: Float = average ? 0 : -.infinity
                    var at = -1, counted = 0, padded = 0
                    let start = [od * s3[0] - b3[0], oh * s3[1] - b3[1], ow * s3[2] - b3[2]]
                    for kd in 0..<k3[0] {
                        let d = start[0] + kd * d3[0]
                        guard d < sp3[0] + a3[0] else { continue }
                        for kh in 0..<k3[1] {
                            let h = start[1] + kh * d3[1]
                            guard h < sp3[1] + a3[1] else { continue }
                            for kw in 0..<k3[2] {
                                let ww = start[2] + kw * d3[2]
                                guard ww < sp3[2] + a3[2] else { continue }
                                padded += 1
                                guard d >= 0, d < sp3[0], h >= 0, h < sp3[1], ww >= 0, ww < sp3[2] else { continue }
                                let i = (d * sp3[1] + h) * sp3[2] + ww
                                let v = xp[base + i]
                                if average { acc += v } else if v > acc || at < 0 { acc = v; at = base + i }
                                counted += 1
                            }
                        }
                    }
                    if average { acc /= Float(max(includePad ? padded : counted, 1)) }
                    let o = plane * outCells + (od * o3[1] + oh) * o3[2] + ow
                    y[o] = acc
                    if indices { where_[o] = Float(max(at, 0)) }
                } } }
            }
        }
        let shape = [n, c] + out
        return indices ? [Tensor(shape: shape, data: y), Tensor(shape: shape, data: where_)] : [Tensor(shape: shape, data: y)]
    }
}

/// The runners of a node's nested graphs, made on first use and kept: an `ExecutionPlan` per
/// graph and input shapes when oneDNN runs the model (a loop's body is compiled once, not once
/// per iteration), the interpreter when the body cannot be planned; the body's own weights
/// read once.
final class SubgraphRunners: @unchecked Sendable {
    private let lock = NSLock()
    private var runners: [String: any ForwardRunner] = [:]
    private var weights: [String: [String: [Tensor]]] = [:]

    func runner(for graph: ModelGraph, key: String, inputs: [Tensor], backend: any ComputeBackend) throws -> any ForwardRunner {
        let shapes = inputs.map(\.shape)
        let full = "\(key)|\(shapes)"
        lock.lock()
        if let r = runners[full] { lock.unlock(); return r }
        lock.unlock()
        let own: [String: [Tensor]]
        lock.lock()
        let cachedWeights = weights[key]
        lock.unlock()
        if let cachedWeights { own = cachedWeights } else {
            own = try graph.initializerWeights()
            lock.lock(); weights[key] = own; lock.unlock()
        }
        var runner: any ForwardRunner = Executor(graph: graph, weights: own, backend: backend, prefix: "")
        if let dnnl = backend as? DNNLBackend, Executor.unsupportedNode(in: graph) == nil,
           let plan = try? ExecutionPlan.build(graph: graph, weights: own, inputShapes: shapes, backend: dnnl) {
            runner = plan
        }
        lock.lock()
        // Bodies whose shapes change every iteration are not kept beyond a handful.
        if runners.count < 64 { runners[full] = runner }
        lock.unlock()
        return runner
    }
}
