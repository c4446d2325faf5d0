import Foundation
import Kernels
import ModelKit

// Branches, loops, scans and calls of a graph's own functions (`ControlFlowOp`): each nested
// graph runs on an Executor of its own with the weights its graph holds.
extension Executor {
    func runControlFlow(_ layer: Layer, _ op: ControlFlowOp, _ args: [Tensor]) throws -> [Tensor] {
        func formal(_ i: Int) throws -> Tensor? {
            if let held = op.heldArguments[i] {
                if let t = held.tensor() { return t }
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
