import Foundation
import CLinux
import Kernels
import Execution
import ModelKit

/// What `strata predict` and `strata time` need to run a model: its weights (from the file,
/// or initialised from a fixed seed when the file is a JSON config without weights) and the
/// compute backend (oneDNN when it starts, the plain Swift reference otherwise).
enum ModelRunSetup {
    /// The seed used for models whose file holds no weights.
    static let weightSeed: UInt64 = 0

    /// The opened model's weights (`seeded` when the file holds none and they were
    /// initialised from `seed`).
    static func weights(_ model: any OpenedModel, analysis: ModelAnalysis, seed: UInt64 = weightSeed) throws -> WeightSet {
        try model.weights(analysis: analysis, seed: seed)
    }

    /// The note printed when weights were initialised rather than read.
    static func seededNote(_ file: String) -> String {
        "strata: note: \(file) holds no weights (a JSON config): each weight was initialised from seed \(weightSeed) following its layer's initializer, so outputs are not the trained model's"
    }

    /// oneDNN with `threads` threads, or the reference backend when oneDNN cannot start.
    static func backend(threads: Int?) -> any ComputeBackend { DNNLBackend.preferred(threads: threads) }

    /// Threads the backend really uses.
    static func threadsUsed(_ backend: any ComputeBackend) -> Int { backend is DNNLBackend ? DNNLBackend.threadCount : 1 }

    /// The inputs a timing runs on: pseudo-random values from a fixed seed, shaped like
    /// `shapes` at batch 1, with whole ids in range where an Embedding or CategoryEncoding
    /// reads the input, and texts of the vocabulary's words where a string layer does. Throws an
    /// `ExecutionError` for open dimensions.
    static func timingInputs(_ graph: ModelGraph, shapes: [TensorShape?]) throws -> [Tensor] {
        IdInputs.applyTexts(IdInputs.apply(try ForwardProfiler.inputs(for: shapes), ranges: IdInputs.ranges(graph)),
                            samples: IdInputs.textSamples(graph))
    }

    /// Times `graph` on `inputs` the one way `strata time` and the batch share: the runner
    /// from `makeRunner` (its build outside the timed runs), then `profiler`. The weights are
    /// consumed: once the plan has packed them, the Keras-layout copies are released before
    /// the runs, so the peak memory measured is the plan's (about 100 MB less on ResNet50).
    /// Callers pass `consume weights`.
    static func time(graph: ModelGraph, weights: consuming WeightSet, inputs: [Tensor], profiler: ForwardProfiler,
                     threads: Int, memoryLimit: Int?, showPlan: (([String]) -> Void)? = nil) throws -> ForwardTiming {
        WorkStage.enter("building the execution plan")
        let (runner, buildMs) = try makeRunner(graph: graph, weights: (consume weights).tensors, inputShapes: inputs.map(\.shape),
                                               threads: threads, memoryLimit: memoryLimit)
        if let showPlan { showPlan((runner as? ExecutionPlan)?.stepDescriptions ?? ["(no plan: the reference interpreter runs the model node by node)"]) }
        // The file-layout weights the plan packed are freed; glibc would keep their pages.
        strata_release_free_memory()
        WorkStage.enter("timing the forward pass")
        var timing = try profiler.profile(runner, inputs: inputs)
        timing.planBuildMs = buildMs
        return timing
    }

    /// A time budget in seconds as the profiler takes it (nanosecond resolution, rounded up).
    static func budget(seconds: Double?) -> Duration? {
        seconds.map { .nanoseconds(Int64(($0 * 1e9).rounded(.up))) }
    }

    /// The default memory limit of a plan: half the machine's physical memory.
    static var defaultMemoryLimit: Int { Int(ProcessInfo.processInfo.physicalMemory / 2) }

    /// The single entry point for running a model many times: an `ExecutionPlan` on oneDNN
    /// built for `inputShapes` (batch included) when oneDNN starts, otherwise the `Executor`
    /// on the reference backend. A model whose tensor shapes cannot be known before running
    /// runs on the `Executor` with oneDNN. Time it with `ForwardProfiler.profile(runner, inputs:)`.
    ///
    /// Throws an `ExecutionError` when the plan would need more than `memoryLimit` bytes
    /// (default: half the physical memory) or cannot be built; `DNNLError`s become
    /// `ExecutionError`s. `buildMs` is the time the plan took to build.
    static func makeRunner(graph: ModelGraph, weights: [String: [Tensor]], inputShapes: [[Int]], threads: Int?,
                           memoryLimit: Int? = nil) throws -> (runner: any ForwardRunner, buildMs: Double?) {
        if let refusal = Executor.unsupportedNode(in: graph) { throw refusal }
        let backend = self.backend(threads: threads)
        guard let dnnl = backend as? DNNLBackend else {
            return (Executor(graph: graph, weights: weights, backend: backend), nil)
        }
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let plan = try ExecutionPlan.build(graph: graph, weights: weights, inputShapes: inputShapes, backend: dnnl,
                                               memoryLimit: memoryLimit ?? defaultMemoryLimit)
            // One trial run on zeros (part of the build time): a layer whose real output
            // shape differs from shape inference's stops the plan, so the Executor, which
            // needs no shapes beforehand, runs the model instead (or reports the layer).
            do {
                _ = try plan.run(inputShapes.map { Tensor(zeros: $0) }, layerTimer: nil)
            } catch {
                return (Executor(graph: graph, weights: weights, backend: dnnl), nil)
            }
            let d = clock.now - start
            return (plan, Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
        } catch is ExecutionPlan.Unplannable {
            return (Executor(graph: graph, weights: weights, backend: dnnl), nil)
        } catch let e as DNNLError {
            throw ExecutionError("model \"\(graph.name)\": the execution plan could not be built: \(e)")
        }
    }

    /// Parses a byte count: `123456`, `512K`, `300M`, `2G`, `1T` (powers of 1024; `KB`,
    /// `MiB`... accepted), or nil when it is not one.
    static func parseBytes(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        var digits = t.prefix { $0.isNumber || $0 == "." }
        var unit = t.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        if unit.hasSuffix("IB") { unit = String(unit.dropLast(2)) } else if unit.hasSuffix("B") { unit = String(unit.dropLast()) }
        let scale: Double
        switch unit {
        case "": scale = 1
        case "K": scale = 1024
        case "M": scale = 1024 * 1024
        case "G": scale = 1024 * 1024 * 1024
        case "T": scale = 1024 * 1024 * 1024 * 1024
        default: return nil
        }
        if digits.hasSuffix(".") { digits = digits.dropLast() }
        guard let v = Double(digits), v >= 0, (v * scale) < Double(Int.max) else { return nil }
        return Int(v * scale)
    }
}
