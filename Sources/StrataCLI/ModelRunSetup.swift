import Foundation
import Kernels
import KerasFormat
import ModelKit

/// What `strata predict` and `strata time` need to run a model: its weights (from the file,
/// or initialised from a fixed seed when the file is a JSON config without weights) and the
/// compute backend (oneDNN when it starts, the plain Swift reference otherwise).
enum ModelRunSetup {
    /// The seed used for models whose file holds no weights.
    static let weightSeed: UInt64 = 0

    /// Weights for `graph`, and whether they were initialised from the seed.
    static func weights(file: String, graph: ModelGraph, analysis: ModelAnalysis, seed: UInt64 = weightSeed) throws -> (weights: ModelWeights, seeded: Bool) {
        if try ModelFileReader.detect(file) == .json {
            return (try ModelWeights.initialized(graph: graph, analysis: analysis, seed: seed), true)
        }
        return (try ModelWeights.load(path: file, analysis: analysis), false)
    }

    /// The note printed when weights were initialised rather than read.
    static func seededNote(_ file: String) -> String {
        "strata: note: \(file) holds no weights (a JSON config): each weight was initialised from seed \(weightSeed) following its layer's initializer, so outputs are not the trained model's"
    }

    /// oneDNN with `threads` threads, or the reference backend when oneDNN cannot start.
    static func backend(threads: Int?) -> any ComputeBackend { DNNLBackend.preferred(threads: threads) }

    /// Threads the backend really uses.
    static func threadsUsed(_ backend: any ComputeBackend) -> Int { backend is DNNLBackend ? DNNLBackend.threadCount : 1 }
}
