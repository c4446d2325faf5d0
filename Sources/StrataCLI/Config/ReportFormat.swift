/// An output format of the nightly batch, as `formats:` in the configuration and `--format`
/// on the command line name it.
public enum ReportFormat: String, CaseIterable, Sendable, Hashable, Comparable {
    /// `report.pdf`, the printable report.
    case pdf
    /// `diagram.svg`, `params.svg`, `latency.svg`, the pictures.
    case svg
    /// `report.md`, the wiki page.
    case md
    /// `report.json`, schema `strata-report/2`.
    case json

    /// The names in their canonical order, for messages: `pdf, svg, md, json`.
    public static let allNames = allCases.map(\.rawValue).joined(separator: ", ")

    /// Canonical order (pdf, svg, md, json), so a set of formats prints the same every time.
    public static func < (lhs: ReportFormat, rhs: ReportFormat) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
