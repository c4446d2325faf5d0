import Reporting

/// The nightly batch's configuration (`config/strata.yml`), every key with a default.
///
/// Paths are kept as written; relative ones are relative to the working directory.
/// `ConfigLoader` reads it from YAML, `ConfigPrinter` writes it back, `ConfigOverrides`
/// lays the command line over it.
public struct StrataConfig: Sendable, Equatable {
    /// Folders searched for models.
    public var inputs: [String]
    /// Folder the reports are written to.
    public var output: String
    /// Formats to write, in canonical order (pdf, svg, md, json), each at most once.
    public var formats: [ReportFormat]
    /// The forward pass (timing).
    public var forward: ForwardConfig
    /// Regression thresholds.
    public var regression: RegressionConfig
    /// Folder of the Mustache templates for Markdown.
    public var templates: String
    /// The history database.
    public var history: String
    /// Models read, analysed and rendered at once; `nil` means the core count.
    public var jobs: Int?
    /// Limits of each model's worker.
    public var batch: BatchConfig
    /// How much the diagram of a model built from repeated blocks shows (`report.detail`).
    public var detail: DiagramOptions.Detail = .blocks
    /// What fills the overview's boxes of a timed model: its share of the parameters or of
    /// the time (`report.shade`).
    public var shade: DiagramOptions.Shade = .params

    /// Every key at its default.
    public init(inputs: [String] = ["Examples"], output: String = "Output", formats: [ReportFormat] = ReportFormat.allCases,
                forward: ForwardConfig = .defaults, regression: RegressionConfig = .defaults,
                templates: String = "Templates", history: String = "Output/history.sqlite", jobs: Int? = nil,
                batch: BatchConfig = .defaults, detail: DiagramOptions.Detail = .blocks, shade: DiagramOptions.Shade = .params) {
        self.inputs = inputs
        self.output = output
        self.formats = formats
        self.forward = forward
        self.regression = regression
        self.templates = templates
        self.history = history
        self.jobs = jobs
        self.batch = batch
        self.detail = detail
        self.shade = shade
    }

    /// The defaults, what an absent or empty configuration file means.
    public static let defaults = StrataConfig()

    /// Where `strata report` and `strata config` look when no `--config` is given.
    public static let defaultPath = "config/strata.yml"

    /// Parallel jobs on a machine with `coreCount` cores.
    public func resolvedJobs(coreCount: Int) -> Int { jobs ?? max(1, coreCount) }
}
