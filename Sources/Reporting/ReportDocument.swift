import ModelKit

/// What every renderer reads: the analysis plus the facts of this run. The generation date
/// is injected (never read from the clock inside a renderer) so outputs repeat.
public struct ReportDocument: Sendable {
    public var analysis: ModelAnalysis
    /// The run date as written in reports (ISO 8601), or nil to omit it.
    public var generatedAt: String?
    public var strataVersion: String
    /// Change since the previous run (the nightly batch), nil outside a batch.
    public var change: ModelChange? = nil
    /// The timed forward pass of this run, nil when the model was not timed.
    public var timing: ForwardTiming? = nil
    /// Why the forward pass did not run although it was asked for (a layer without a kernel,
    /// open input dimensions, weights that do not load). Nil when it ran or was not asked for.
    public var timingUnavailable: String? = nil

    /// The name to show as the report's title: the model's own name, or the file's name
    /// when Keras gave the model only a default name (`functional`, `sequential_3`, `model`).
    public var displayName: String {
        let name = analysis.modelName
        let base = name.split(separator: "_").first.map(String.init) ?? name
        let suffixIsNumber = name == base || Int(name.dropFirst(base.count + 1)) != nil
        guard ["functional", "sequential", "model"].contains(base), suffixIsNumber else { return name }
        let file = analysis.source.file.split(separator: "/").last.map(String.init) ?? analysis.source.file
        let stem = file.split(separator: ".").dropLast().joined(separator: ".")
        return stem.isEmpty ? name : stem
    }

    public init(analysis: ModelAnalysis, generatedAt: String? = nil, strataVersion: String = StrataVersion.current) {
        self.analysis = analysis
        self.generatedAt = generatedAt
        self.strataVersion = strataVersion
    }
}
