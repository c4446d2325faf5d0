/// The timing of one model's forward pass: warm-up runs, timed runs of the whole pass, and
/// per-layer times from a separate instrumented run set (so the hook that times each layer
/// never slows the runs that give the total).
///
/// Statistics over the timed runs, in milliseconds:
/// - `medianMs`: the middle run (the mean of the two middle runs for an even count);
/// - `minMs`: the fastest run;
/// - `p90Ms`: the 90th percentile, interpolated linearly between order statistics (NumPy's
///   default `percentile`), so `minMs <= medianMs <= p90Ms` always holds;
/// - `spreadMs`: the interquartile range, p75 - p25 (same interpolation): how far the
///   middle half of the runs lie apart, insensitive to one slow outlier.
public struct ForwardTiming: Sendable, Equatable {
    /// One call of a layer, timed in the instrumented run set.
    public struct LayerTime: Sendable, Equatable {
        /// The layer's name; a layer called more than once gets one entry per call, the
        /// calls after the first named `name (call 2)`, `name (call 3)`, ...
        public var name: String
        /// The layer's class or op type as the file names it.
        public var className: String
        /// The median over the instrumented runs of this call's time, in milliseconds.
        public var medianMs: Double
        /// When the call ran inside another layer's step (a batch normalization folded into
        /// its convolution, an activation or Add fused as a post-op), that layer's name; its
        /// time is part of that layer's and `medianMs` is 0.
        public var fusedInto: String?
        /// The module of the original model the node came from (`Layer.module`), outermost
        /// first; empty when the reader found none.
        public var module: [String] = []
        /// The interquartile range (p75 - p25) of this call's instrumented times, in
        /// milliseconds: its noise.
        public var spreadMs: Double = 0

        public init(name: String, className: String, medianMs: Double, fusedInto: String? = nil, module: [String] = []) {
            self.name = name
            self.className = className
            self.medianMs = medianMs
            self.fusedInto = fusedInto
            self.module = module
        }
    }

    /// Timed runs that ran (fewer than `requestedRuns` when the time budget ran out).
    public var runs: Int
    /// Timed runs asked for.
    public var requestedRuns: Int
    /// Warm-up runs before the timed runs (not counted in any statistic).
    public var warmup: Int
    /// Threads the backend actually used (the reference backend uses 1).
    public var threads: Int
    /// Threads asked for.
    public var requestedThreads: Int
    /// Each timed run's time in milliseconds, in the order run.
    public var runMs: [Double]
    public var medianMs: Double
    public var minMs: Double
    public var p90Ms: Double
    /// The interquartile range (p75 - p25) of the timed runs, in milliseconds.
    public var spreadMs: Double
    /// Per-call times in execution order: one entry per call of a non-input layer of the
    /// top-level graph (a nested model is one entry).
    public var layers: [LayerTime]
    /// Instrumented runs the per-layer medians come from.
    public var instrumentedRuns: Int
    /// Peak resident memory of the process (`VmHWM` in /proc/self/status) after the runs, in
    /// bytes; `nil` where /proc is not available. The peak is reset before the warm-up where
    /// the kernel allows it (/proc/self/clear_refs), else it is the process's peak so far.
    public var peakRSSBytes: Int?
    /// The compute backend's name (`ReferenceBackend`, `ExecutionPlan (oneDNN)`).
    public var backend: String
    /// Time to build the execution plan (primitives, packed weights, buffers), in
    /// milliseconds; nil when there is no plan or it was not measured. Not in any run time.
    public var planBuildMs: Double?
    /// Bytes the execution plan holds (packed weights + activation buffers + scratchpad),
    /// nil without a plan.
    public var planBytes: Int?
    /// The plan's packed weights and its activation buffers (planned by liveness), in
    /// bytes; nil without a plan.
    public var planWeightBytes: Int?
    public var planActivationBytes: Int?
    /// CPU time other processes used while the timed and instrumented runs ran, in cores
    /// (0.9: nearly one core busy elsewhere), from /proc/stat less this process's own time;
    /// nil where /proc is missing or the runs were too short to tell (under 0.2 s).
    public var otherCPULoad: Double?

    /// Other processes used enough CPU during the runs (a quarter of a core or more) that
    /// the times are likely inflated: OpenMP threads that lose their core wait a whole
    /// scheduler slice at every barrier.
    public var disturbed: Bool { (otherCPULoad ?? 0) >= 0.25 }

    /// The one sentence every output gives for a disturbed timing (no final period), nil
    /// when the runs were undisturbed.
    public var disturbanceWarning: String? {
        guard disturbed else { return nil }
        return String(format: "Other processes used %.1f cores' worth of CPU while this model was timed, so these times are likely inflated; time it on a quiet machine", otherCPULoad ?? 0)
    }

    /// The sum of the per-layer medians, in milliseconds; shown beside the total so the
    /// reader sees what the layers account for (a sum of medians, not a median of sums).
    public var layerSumMs: Double { layers.reduce(0) { $0 + $1.medianMs } }

    public init(runs: Int, requestedRuns: Int, warmup: Int, threads: Int, requestedThreads: Int, runMs: [Double],
                layers: [LayerTime], instrumentedRuns: Int, peakRSSBytes: Int?, backend: String) {
        self.runs = runs
        self.requestedRuns = requestedRuns
        self.warmup = warmup
        self.threads = threads
        self.requestedThreads = requestedThreads
        self.runMs = runMs
        let sorted = runMs.sorted()
        self.medianMs = Self.percentile(sorted, 50)
        self.minMs = sorted.first ?? 0
        self.p90Ms = Self.percentile(sorted, 90)
        self.spreadMs = Self.percentile(sorted, 75) - Self.percentile(sorted, 25)
        self.layers = layers
        self.instrumentedRuns = instrumentedRuns
        self.peakRSSBytes = peakRSSBytes
        self.backend = backend
    }

    /// The `p`th percentile of ascending `sorted` values, interpolated linearly between
    /// order statistics (NumPy `percentile`, method "linear"); 0 for no values.
    public static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard let first = sorted.first else { return 0 }
        guard sorted.count > 1 else { return first }
        let rank = p / 100 * Double(sorted.count - 1)
        let lo = Int(rank.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - Double(lo))
    }

    /// Median times summed per top-level module (in order of first appearance), when the
    /// nodes carry module paths naming at least two modules; empty otherwise.
    public var moduleTimes: [(module: String, nodes: Int, medianMs: Double)] {
        var order: [String] = []
        var sums: [String: (Int, Double)] = [:]
        for l in layers {
            guard let top = l.module.first else { continue }
            if sums[top] == nil { order.append(top) }
            let (n, t) = sums[top] ?? (0, 0)
            sums[top] = (n + 1, t + l.medianMs)
        }
        guard order.count >= 2 else { return [] }
        return order.map { ($0, sums[$0]!.0, sums[$0]!.1) }
    }
}
