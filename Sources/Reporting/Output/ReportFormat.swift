/// An output format of a model's report, as `formats:` in the configuration and `--format`
/// on the command line name it (its raw value). Each has one `ReportRenderer`; adding a
/// format is one case here and one renderer, and the compiler names every switch to update.
public enum ReportFormat: String, CaseIterable, Sendable, Hashable, Comparable, Codable {
    /// `report.pdf`, the printable report.
    case pdf
    /// `diagram.svg`, `params.svg`, `latency.svg`, the pictures.
    case svg
    /// `report.md`, the wiki page (and the batch's `index.md`).
    case md
    /// `report.json`, schema `strata-report/2` (`ReportJSON.schema`).
    case json

    /// The names in their canonical order, for messages: `pdf, svg, md, json`.
    public static let allNames = allCases.map(\.rawValue).joined(separator: ", ")

    /// Canonical order (pdf, svg, md, json), so a set of formats prints the same every time.
    public static func < (lhs: ReportFormat, rhs: ReportFormat) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
