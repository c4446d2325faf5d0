import Foundation

/// `report.json` (`ReportJSON`, schema `strata-report/2`).
public struct JSONRenderer: ReportRenderer {
    public init() {}

    public var format: ReportFormat { .json }
    public var stage: String { "writing report.json" }

    public func render(_ doc: ReportDocument) throws -> [(name: String, data: Data)] {
        [("report.json", Data(ReportJSON.render(doc).utf8))]
    }
}
