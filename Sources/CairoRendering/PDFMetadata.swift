import ModelKit

/// The document information a PDF carries. Every field is given, none is read from the
/// clock, so two runs of the same model with the same run date write the same metadata.
public struct PDFMetadata: Hashable, Sendable {
    /// Document title (the viewer's window title).
    public var title: String
    /// Document subject.
    public var subject: String
    /// Keywords, written comma-separated.
    public var keywords: [String]
    /// Author; empty writes none.
    public var author: String
    /// The program that made the document: `Strata <version>` by default.
    public var creator: String
    /// The run date, ISO 8601 (`2025-03-14` or `2025-03-14T02:00:00Z`): written as both
    /// the creation and the modification date.
    public var date: String

    public init(title: String, subject: String = "", keywords: [String] = [], author: String = "",
                creator: String = "Strata \(StrataVersion.current)", date: String) {
        self.title = title
        self.subject = subject
        self.keywords = keywords
        self.author = author
        self.creator = creator
        self.date = date
    }
}
