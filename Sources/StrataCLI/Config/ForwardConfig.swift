/// `forward:` in the configuration: whether and how the forward pass is timed.
public struct ForwardConfig: Sendable, Equatable {
    /// Time a forward pass at all (`--no-forward` turns it off).
    public var enabled: Bool
    /// Threads for one forward pass; `nil` means the core count.
    public var threads: Int?
    /// Untimed runs before the timed ones.
    public var warmup: Int
    /// Timed runs; the report gives their median and spread.
    public var runs: Int
    /// When set, a model's timed runs stop once they have taken this many seconds (at least
    /// one runs); the report records how many ran.
    public var budgetSeconds: Double?
    /// Seed for weights a model file does not carry, so runs repeat.
    public var seed: Int
    /// Sizes for the dimensions a model leaves open, by model id (its path relative to its
    /// input folder): one list of sizes per model input, without the batch, e.g. [[224, 224, 3]].
    public var inputShapes: [String: [[Int]]]
    /// Most bytes one model's execution plan may hold (packed weights, activation buffers,
    /// scratchpad); `nil` means half the machine's physical memory.
    public var memoryLimit: Int?
    /// Whether the batch times an unchanged model again (`always`: latency drift is what a
    /// nightly run watches) or reuses its last report and timing (`changed`).
    public var retime: BatchSettings.Retime

    /// Every key at its default.
    public init(enabled: Bool = true, threads: Int? = nil, warmup: Int = 5, runs: Int = 30, budgetSeconds: Double? = nil, seed: Int = 0,
                inputShapes: [String: [[Int]]] = [:], memoryLimit: Int? = nil, retime: BatchSettings.Retime = .always) {
        self.enabled = enabled
        self.threads = threads
        self.warmup = warmup
        self.runs = runs
        self.budgetSeconds = budgetSeconds
        self.seed = seed
        self.inputShapes = inputShapes
        self.memoryLimit = memoryLimit
        self.retime = retime
    }

    /// The defaults: enabled, threads = core count, 5 warm-up runs, 30 timed runs, no time
    /// budget, seed 0, no input shapes, memory limit half the physical memory.
    public static let defaults = ForwardConfig()

    /// Threads to use on a machine with `coreCount` cores.
    public func resolvedThreads(coreCount: Int) -> Int { threads ?? max(1, coreCount) }
}
