import Reporting

/// Everything one batch run needs, resolved from the configuration and the command line.
public struct BatchSettings: Sendable {
    public var inputs: [String]
    public var output: String
    /// Requested formats of each model's report (`index.md` is written with `md`).
    public var formats: Set<ReportFormat>
    /// Whether the timed forward pass runs (one model at a time, after reading and analysis).
    public var forward: Bool
    /// Threads, warm-up runs, timed runs and the weight seed of the forward pass.
    public var forwardThreads: Int
    public var warmup: Int
    public var runs: Int
    /// Seconds after which a model's timed runs stop (nil: all `runs` run).
    public var budgetSeconds: Double?
    /// Most bytes one model's execution plan may hold; nil: half the physical memory.
    public var memoryLimit: Int?
    public var seed: UInt64
    public var jobs: Int
    /// Shard k of n (1-based), or nil for all models.
    public var shard: (k: Int, n: Int)?
    public var historyPath: String?
    public var templates: String?
    /// The run date written into every output (ISO 8601).
    public var runDate: String
    public var latencyIncreasePercent: Double
    public var failOnParamChange: Bool
    public var failOnMissingModel: Bool
    public var failOnRegression: Bool
    /// Dimensions for inputs the model leaves open, by model id ("224,224,3" per input).
    public var inputShapes: [String: [String]]
    /// Seconds of work one model may take in its worker before it is stopped (nil: no limit).
    public var modelTimeout: Double?
    /// Resident bytes one model's worker may use before it is stopped (nil: no limit).
    public var modelMemory: Int?
    /// Whether an unchanged model is timed again (`always`) or keeps its last report and
    /// timing (`changed`).
    public var retime: Retime
    /// Redo every model, reusing nothing from earlier runs.
    public var force: Bool
    /// The strata binary workers run; nil: found by `WorkerExecutable.resolve()`.
    public var workerExecutable: String?
    /// How much a big model's diagram shows (`report.detail`, `--detail`).
    public var detail: DiagramOptions.Detail = .blocks
    /// What fills a timed model's overview boxes (`report.shade`, `--shade`).
    public var shade: DiagramOptions.Shade = .params

    /// When unchanged models are timed again.
    public enum Retime: String, Sendable, Codable, CaseIterable { case always, changed }

    public init(inputs: [String], output: String, formats: Set<ReportFormat> = Set(ReportFormat.allCases), forward: Bool = true,
                forwardThreads: Int = 2, warmup: Int = 5, runs: Int = 30, budgetSeconds: Double? = nil, memoryLimit: Int? = nil, seed: UInt64 = 0, jobs: Int = 2, shard: (k: Int, n: Int)? = nil, historyPath: String? = nil, templates: String? = nil,
                runDate: String, latencyIncreasePercent: Double = 10, failOnParamChange: Bool = true,
                failOnMissingModel: Bool = true, failOnRegression: Bool = false, inputShapes: [String: [String]] = [:],
                modelTimeout: Double? = 600, modelMemory: Int? = WorkerExecutable.defaultModelMemory, retime: Retime = .always,
                force: Bool = false, workerExecutable: String? = nil, detail: DiagramOptions.Detail = .blocks,
                shade: DiagramOptions.Shade = .params) {
        self.inputs = inputs
        self.output = output
        self.formats = formats
        self.forward = forward
        self.forwardThreads = forwardThreads
        self.warmup = warmup
        self.runs = runs
        self.budgetSeconds = budgetSeconds
        self.memoryLimit = memoryLimit
        self.seed = seed
        self.jobs = jobs
        self.shard = shard
        self.historyPath = historyPath
        self.templates = templates
        self.runDate = runDate
        self.latencyIncreasePercent = latencyIncreasePercent
        self.failOnParamChange = failOnParamChange
        self.failOnMissingModel = failOnMissingModel
        self.failOnRegression = failOnRegression
        self.inputShapes = inputShapes
        self.modelTimeout = modelTimeout
        self.modelMemory = modelMemory
        self.detail = detail
        self.shade = shade
        self.retime = retime
        self.force = force
        self.workerExecutable = workerExecutable
    }
}
