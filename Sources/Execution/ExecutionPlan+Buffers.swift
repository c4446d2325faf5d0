import Foundation
import Kernels
import ModelKit

/// Buffer assignment by liveness.
extension ExecutionPlan.Builder {
    /// Orders the steps and gives every value a buffer, reusing buffers by liveness.
    mutating func assignBuffers() throws {
        let ordered = pending.enumerated().sorted { ($0.element.position, $0.offset) < ($1.element.position, $1.offset) }.map(\.element.spec)
        var lastRead: [ValueKey: Int] = [:]
        for (i, s) in ordered.enumerated() { for v in s.inputs { lastRead[v] = i } }
        var bufferOf: [ValueKey: Int] = [:]
        var free: [Int] = []
        func allocate(_ count: Int) -> Int {
            if let best = free.filter({ capacities[$0] >= count }).min(by: { capacities[$0] < capacities[$1] }) {
                free.removeAll { $0 == best }
                return best
            }
            if let largest = free.max(by: { capacities[$0] < capacities[$1] }) {
                free.removeAll { $0 == largest }
                capacities[largest] = count
                return largest
            }
            capacities.append(count)
            return capacities.count - 1
        }
        for (i, s) in ordered.enumerated() {
            for o in s.outputs {
                if let a = s.inPlace, let b = bufferOf[a] { bufferOf[o] = b } else { bufferOf[o] = allocate(shapes[o]!.reduce(1, *)) }
            }
            var released = Set<Int>()
            for v in Set(s.inputs) where lastRead[v] == i && !graphOutputs.contains(v) && v != s.inPlace {
                if let b = bufferOf[v], !released.contains(b) { free.append(b); released.insert(b) }
            }
            // Outputs nobody reads.
            for o in s.outputs where lastRead[o] == nil && !graphOutputs.contains(o) {
                if let b = bufferOf[o], !released.contains(b) { free.append(b); released.insert(b) }
            }
        }
        func value(_ k: ValueKey) throws -> Value {
            guard let b = bufferOf[k], let s = shapes[k] else {
                throw ExecutionError("model \"\(graph.name)\": tensor of layer \"\(name(k.node))\" was not planned")
            }
            return Value(buffer: b, shape: s)
        }
        steps = try ordered.map { s in
            Step(op: s.op, node: s.node, inputs: try s.inputs.map(value), outputs: try s.outputs.map(value))
        }
        descriptions = ordered.map(\.description)
        outputValues = try graph.outputs.map { try value(key($0)) }
    }
}
