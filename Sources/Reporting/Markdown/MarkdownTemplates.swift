import Foundation
import ModelKit
import Mustache

/// Loads and renders the Markdown templates: the user's file from the templates folder when
/// it has one, otherwise the built-in copy of the default in Templates/.
///
/// Values reach a template already formatted and escaped for Markdown (`MarkdownEscaping`),
/// so templates place them with `{{{name}}}`; Mustache's `{{name}}` would HTML-escape them
/// again (safe, but `&amp;lt;` would show on the page).
public enum MarkdownTemplates {
    /// File name of the per-model report template.
    public static let reportFile = "report.md.mustache"
    /// File name of the index template.
    public static let indexFile = "index.md.mustache"

    /// The template text to use: `folder/fileName` when that file exists, else `builtIn`.
    /// Returns the text and the name to cite in errors (the path, or `built-in fileName`).
    static func text(fileName: String, builtIn: String, folder: String?) throws -> (text: String, source: String) {
        guard let folder else { return (builtIn, "built-in " + fileName) }
        let path = URL(fileURLWithPath: folder).appendingPathComponent(fileName).path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return (builtIn, "built-in " + fileName) }
        if isDirectory.boolValue { throw StrataError(file: path, "a template must be a file, this is a folder") }
        do {
            return (try String(contentsOfFile: path, encoding: .utf8), path)
        } catch {
            throw StrataError(file: path, "cannot read the template as UTF-8 text: \(error.localizedDescription)")
        }
    }

    /// Parses a template; a parse error becomes a `StrataError` naming the file, the line
    /// and column, the reason and the line's text.
    static func parse(_ text: String, source: String) throws -> MustacheTemplate {
        do {
            return try MustacheTemplate(string: text)
        } catch let error as MustacheTemplate.ParserError {
            let c = error.context
            throw StrataError(file: source, place: "line \(c.lineNumber), column \(c.columnNumber)",
                              "the template does not parse: \(reason(error.error)) (the line reads \"\(c.line)\")")
        }
    }

    /// Renders `context` (dictionaries, arrays, strings and booleans) with the named template.
    static func render(_ context: [String: Any], fileName: String, builtIn: String, folder: String?) throws -> String {
        let (text, source) = try self.text(fileName: fileName, builtIn: builtIn, folder: folder)
        return try parse(text, source: source).render(context)
    }

    static func reason(_ error: any Error) -> String {
        guard let e = error as? MustacheTemplate.Error else { return String(describing: error) }
        switch e {
        case .sectionCloseNameIncorrect: return "a section is closed with another name than it was opened with"
        case .unfinishedName: return "a tag is not finished (a name with characters Mustache does not allow, or a missing closing brace)"
        case .expectedSectionEnd: return "a section is opened but never closed"
        case .invalidSetDelimiter: return "a set-delimiter tag is malformed"
        case .transformAppliedToInheritanceSection: return "a transform is applied to an inherited section"
        case .illegalTokenInsideInheritSection: return "a tag is not allowed inside an inheriting partial"
        case .textInsideInheritSection: return "text is not allowed inside an inheriting partial"
        case .invalidConfigVariableSyntax: return "a pragma tag ({{% ...}}) is malformed"
        case .unrecognisedConfigVariable: return "a pragma tag names an unknown setting"
        }
    }
}
