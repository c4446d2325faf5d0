import Foundation
import Kernels

// Spatial and preprocessing layers beyond the 2-D core (1-D and 3-D convolutions,
// transposed convolutions, up-sampling, cropping, rescaling, normalisation) and the
// Keras 3 operations. Called from `Executor.runLayer` for the classes its own switch does
// not run.
extension Executor {
    /// The outputs of `layer` on `args` when this file runs its class, otherwise nil.
    func runSpatialLayer(_ layer: Layer, _ args: [Tensor]) throws -> [Tensor]? {
        switch layer.kind {
        default:
            return nil
        }
    }
}
