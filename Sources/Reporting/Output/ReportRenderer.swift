import Foundation

/// Writes one `ReportFormat` of a model's report from its `ReportDocument`, in memory: the
/// batch stages what every renderer returns and publishes the folder only when all succeeded.
public protocol ReportRenderer: Sendable {
    /// The format this renderer writes.
    var format: ReportFormat { get }
    /// What the renderer is doing, for the stage a crash or timeout names
    /// ("rendering the PDF").
    var stage: String { get }
    /// The format's files for `doc`: names relative to the model's report folder, and bytes.
    func render(_ doc: ReportDocument) throws -> [(name: String, data: Data)]
}
