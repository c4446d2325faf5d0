import ModelKit
import Foundation
import Kernels

/// Times a forward pass (an `ExecutionPlan` or an `Executor`, any `ForwardRunner`): `warmup` untimed runs, then up to `runs` timed runs of
/// the whole pass (`ContinuousClock`, no per-layer hook), then a separate instrumented run set
/// (as many runs as were timed) in which each layer call is timed. The totals therefore carry
/// no instrumentation cost; the per-layer medians carry a little (two clock reads per call).
public struct ForwardProfiler: Sendable {
    /// Untimed runs first (caches, allocator, lazy initialisation).
    public var warmup: Int
    /// Timed runs asked for (at least 1).
    public var runs: Int
    /// Threads asked for; recorded beside the threads actually used.
    public var requestedThreads: Int
    /// When set, timed runs stop once their summed time reaches it (at least one run always
    /// runs); `ForwardTiming.runs` records how many ran.
    public var budget: Duration?

    public init(warmup: Int = 5, runs: Int = 30, requestedThreads: Int = 1, budget: Duration? = nil) {
        self.warmup = max(0, warmup)
        self.runs = max(1, runs)
        self.requestedThreads = max(1, requestedThreads)
        self.budget = budget
    }

    /// Runs `runner` (an `ExecutionPlan` or an `Executor`) on `inputs` as described above.
    /// The threads recorded are the runner's (`threadsUsed`). A call fused into another
    /// layer's step is listed with time 0 and the name of that layer (`fusedInto`).
    public func profile(_ runner: any ForwardRunner, inputs: [Tensor]) throws -> ForwardTiming {
        try profileAlternately([(runner, inputs)])[0]
    }

    /// Times several runners (two versions of a model, for `strata diff --forward`) in turn
    /// in one process, as `profile` times one: the warm-up runs of each, then rounds in which
    /// each runner runs once (the order turning each round, so a drift of the machine's speed
    /// falls on all alike), then the instrumented rounds the same way. The budget bounds each
    /// runner's summed time. One `ForwardTiming` per runner, in the order given.
    public func profileAlternately(_ subjects: [(runner: any ForwardRunner, inputs: [Tensor])]) throws -> [ForwardTiming] {
        _ = Self.resetPeakRSS()
        for s in subjects { for _ in 0..<warmup { _ = try s.runner.run(s.inputs, layerTimer: nil) } }

        let clock = ContinuousClock()
        let cpuBefore = CPUSample.now()
        let windowStart = clock.now
        var runMs = [[Double]](repeating: [], count: subjects.count)
        var spent = [Duration](repeating: .zero, count: subjects.count)
        for round in 0..<runs {
            for k in 0..<subjects.count {
                let i = (k + round) % subjects.count
                let start = clock.now
                _ = try subjects[i].runner.run(subjects[i].inputs, layerTimer: nil)
                let d = clock.now - start
                runMs[i].append(Self.milliseconds(d))
                spent[i] += d
            }
            if let budget, spent.contains(where: { $0 >= budget }) { break }
        }

        // Separate instrumented rounds: per-call durations, in execution order.
        let collectors = subjects.map { _ in Collector() }
        for round in 0..<runMs[0].count {
            for k in 0..<subjects.count {
                let i = (k + round) % subjects.count
                let c = collectors[i]
                _ = try subjects[i].runner.run(subjects[i].inputs, layerTimer: { node, d in c.add(node, d) })
            }
        }
        var otherLoad: Double?
        if let before = cpuBefore, let after = CPUSample.now() {
            otherLoad = CPUSample.otherLoad(from: before, to: after, seconds: Self.milliseconds(clock.now - windowStart) / 1000)
        }
        return subjects.indices.map { i in
            let runner = subjects[i].runner
            let graph = runner.graph
            let fused = runner.fusedInto
            let timedNodes = graph.executionOrder.filter { !(graph.layers[$0.layer].kind is InputOp) }
            let perNode = collectors[i].durations
            let layers = timedNodes.map { node -> ForwardTiming.LayerTime in
                let layer = graph.layers[node.layer]
                let ms = (perNode[node] ?? []).map(Self.milliseconds).sorted()
                var t = ForwardTiming.LayerTime(name: node.call == 0 ? layer.name : "\(layer.name) (call \(node.call + 1))",
                                                className: layer.className, medianMs: ForwardTiming.percentile(ms, 50),
                                                fusedInto: fused[node], module: layer.module)
                t.spreadMs = ForwardTiming.percentile(ms, 75) - ForwardTiming.percentile(ms, 25)
                return t
            }
            var timing = ForwardTiming(runs: runMs[i].count, requestedRuns: runs, warmup: warmup, threads: runner.threadsUsed,
                                       requestedThreads: requestedThreads, runMs: runMs[i], layers: layers,
                                       instrumentedRuns: runMs[i].count, peakRSSBytes: Self.peakRSSBytes(),
                                       backend: runner.backendName)
            timing.otherCPULoad = otherLoad
            if let plan = runner as? ExecutionPlan {
                timing.planBytes = plan.memory.totalBytes
                timing.planWeightBytes = plan.memory.weightBytes
                timing.planActivationBytes = plan.memory.activationBytes
            }
            return timing
        }
    }

    /// Deterministic pseudo-random inputs, uniform in [-1, 1), one per shape, batch 1 (a
    /// `nil` first dimension becomes 1). Every other dimension must be known: an open one is
    /// an `ExecutionError` naming the input and its shape. Same `seed`, same values.
    public static func inputs(for shapes: [TensorShape?], seed: UInt64 = 0x5EED) throws -> [Tensor] {
        var state = seed
        return try shapes.enumerated().map { i, shape in
            guard let shape else { throw ExecutionError("input \(i + 1) has no declared shape") }
            guard shape.dims.dropFirst().allSatisfy({ $0 != nil }) else {
                throw ExecutionError("input \(i + 1) has shape \(shape), with open dimensions besides the batch")
            }
            // A scalar input (a sample rate, a flag) has no batch axis.
            let dims = shape.rank == 0 ? [] : [1] + shape.dims.dropFirst().map { $0! }
            let count = dims.reduce(1, *)
            var data = [Float](repeating: 0, count: count)
            for j in 0..<count {
                // SplitMix64 (Steele, Lea, Flood 2014), top 24 bits -> [0, 1).
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                z ^= z >> 31
                data[j] = Float(z >> 40) / Float(1 << 24) * 2 - 1
            }
            return Tensor(shape: dims, data: data)
        }
    }

    /// Peak resident set size of this process in bytes (`VmHWM` in /proc/self/status), or
    /// `nil` where it cannot be read.
    public static func peakRSSBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let parts = line.dropFirst("VmHWM:".count).split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let value = parts.first.flatMap({ Int($0) }) else { return nil }
            let unit = parts.count > 1 ? parts[1].lowercased() : "kb"
            return unit == "kb" ? value * 1024 : value
        }
        return nil
    }

    /// Resets the process's peak RSS to its current RSS (writes 5 to /proc/self/clear_refs,
    /// Linux 4.0 and later); false where that is not allowed.
    @discardableResult
    public static func resetPeakRSS() -> Bool {
        guard let h = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? h.close() }
        do { try h.write(contentsOf: Data("5".utf8)); return true } catch { return false }
    }

    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    /// Gathers per-call durations from the layer hook (the executor runs calls in order on
    /// the calling thread; the lock only satisfies `Sendable`).
    private final class Collector: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var durations: [NodeID: [Duration]] = [:]
        func add(_ node: NodeID, _ d: Duration) { lock.lock(); durations[node, default: []].append(d); lock.unlock() }
    }
}

/// The machine's busy CPU time and this process's own, in clock ticks (Linux /proc), so the
/// profiler can tell how much of the CPU other processes took while it was timing.
struct CPUSample {
    /// Busy ticks summed over all CPUs (user, nice, system, irq, softirq, steal).
    var machineBusy: Int
    /// This process's user + system ticks, all its threads.
    var own: Int

    static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    static func now() -> CPUSample? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = stat.split(separator: "\n").first, line.hasPrefix("cpu ") else { return nil }
        let f = line.split(separator: " ").dropFirst().compactMap { Int($0) }
        guard f.count >= 8 else { return nil }
        let busy = f[0] + f[1] + f[2] + f[5] + f[6] + f[7]
        guard let me = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let close = me.lastIndex(of: ")") else { return nil }
        // Fields after the command name: state is field 3, utime 14 and stime 15.
        let rest = me[me.index(after: close)...].split(separator: " ")
        guard rest.count > 13, let utime = Int(rest[11]), let stime = Int(rest[12]) else { return nil }
        return CPUSample(machineBusy: busy, own: utime + stime)
    }

    /// Cores' worth of CPU other processes used between two samples `seconds` apart; nil
    /// when the window is too short for the tick resolution.
    static func otherLoad(from a: CPUSample, to b: CPUSample, seconds: Double) -> Double? {
        guard seconds >= 0.2, ticksPerSecond > 0 else { return nil }
        let other = Double((b.machineBusy - a.machineBusy) - (b.own - a.own)) / ticksPerSecond
        return max(0, other / seconds)
    }
}
