import ModelKit

/// What every renderer reads: the analysis plus the facts of this run. The generation date
/// is injected (never read from the clock inside a renderer) so outputs repeat.
public struct ReportDocument: Sendable {
    public var analysis: ModelAnalysis
    /// The run date as written in reports (ISO 8601), or nil to omit it.
    public var generatedAt: String?
    public var strataVersion: String

    public init(analysis: ModelAnalysis, generatedAt: String? = nil, strataVersion: String = StrataVersion.current) {
        self.analysis = analysis
        self.generatedAt = generatedAt
        self.strataVersion = strataVersion
    }
}
