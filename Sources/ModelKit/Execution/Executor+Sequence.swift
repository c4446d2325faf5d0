import Foundation
import Kernels

// Sequence, text and attention layers (recurrent layers, Bidirectional, Embedding,
// attention, normalisation over the last axes). Called from `Executor.runLayer` for the
// classes its own switch does not run.
extension Executor {
    /// The outputs of `layer` on `args` when this file runs its class, otherwise nil.
    func runSequenceLayer(_ layer: Layer, _ args: [Tensor]) throws -> [Tensor]? {
        switch layer.kind {
        default:
            return nil
        }
    }
}
