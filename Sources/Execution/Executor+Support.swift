import Foundation
import ModelKit

// What the engine can run, checked before anything runs: a node it has no kernel for is
// refused by name (with the format's own name for its kind), never run wrongly.
extension Executor {
    /// Function names the inline path (`Executor+Operations.swift`) runs.
    static let inlineFunctions: Set<String> = [
        "add", "radd", "subtract", "sub", "rsub", "multiply", "mul", "rmul", "truediv", "true_divide", "divide", "div", "rtruediv",
        "rdiv", "maximum", "minimum", "power", "pow", "negative", "neg", "abs", "absolute", "sqrt", "rsqrt", "square", "exp", "log",
        "tanh", "identity", "stop_gradient", "mean", "sum", "max", "min", "concatenate", "concat", "transpose", "reshape", "not_equal",
    ]

    /// The first node of `graph` (nested graphs included) the engine has no kernel for, as an
    /// error naming it; nil when every node can run.
    public static func unsupportedNode(in graph: ModelGraph, prefix: String = "") -> ExecutionError? {
        // An operation no output depends on (how a padding mask was computed) is never run.
        let dead = graph.deadOperations
        for (index, layer) in graph.layers.enumerated() {
            let described = layer.sourceDescription ?? layer.className
            if dead.contains(index) { continue }
            let unit = graph.source.conventions.unitName
            if let why = layer.engineRefusal {
                return ExecutionError("\(unit) \"\(prefix)\(layer.name)\" (\(described)): not runnable yet: \(why)")
            }
            switch layer.kind {
            case let f as TensorFunctionOp:
                if f.activation != nil || arrayFunctions.contains(f.function) || inlineFunctions.contains(f.function) { continue }
                return ExecutionError("\(unit) \"\(prefix)\(layer.name)\" (\(described)): not runnable yet: Strata has no kernel for \"\(f.function)\"")
            case let u as UnsupportedOp where u.refusal == nil:
                return ExecutionError("\(unit) \"\(prefix)\(layer.name)\" (\(described)): not runnable: Strata does not know this kind of \(unit)")
            case let c as ControlFlowOp:
                for (g, label) in zip(c.graphs, c.labels) {
                    if let e = unsupportedNode(in: g, prefix: "\(prefix)\(layer.name)/\(label)/") { return e }
                }
            case let s as SubgraphOp:
                if let e = unsupportedNode(in: s.graph, prefix: "\(prefix)\(layer.name)/") { return e }
            default:
                continue
            }
        }
        return nil
    }
}
