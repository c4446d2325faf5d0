import Foundation

/// `report.md` from the report template (`MarkdownReport`).
public struct MarkdownRenderer: ReportRenderer {
    /// The folder of the user's templates; nil or without `report.md.mustache`: the built-in one.
    public var templatesFolder: String?

    public init(templatesFolder: String?) { self.templatesFolder = templatesFolder }

    public var format: ReportFormat { .md }
    public var stage: String { "writing Markdown" }

    public func render(_ doc: ReportDocument) throws -> [(name: String, data: Data)] {
        [("report.md", Data(try MarkdownReport.render(doc, templatesFolder: templatesFolder).utf8))]
    }
}
