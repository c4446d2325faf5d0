/// Escapes strings that come from a model file (layer names, class names, file names, error
/// messages) so that no model can inject HTML or Markdown into a wiki page. The result is
/// plain text under CommonMark, GitHub Flavored Markdown and GitLab Flavored Markdown.
///
/// - The characters that make markup (`\ ` * _ [ ] | ~ $`, and `#` at the start) get a
///   backslash, which CommonMark allows before any ASCII punctuation; `|` stays escaped inside
///   table cells. Ordinary prose punctuation (`: ( ) { } ! @ %`) is left alone: escaping it
///   shows as `\:` on wikis that do not read the backslash, and without `[` or `` ` `` it makes
///   no link, image or code. (A bare URL may still be autolinked, as its text.)
/// - `<`, `>`, `&` become the entities `&lt;`, `&gt;`, `&amp;`, so no raw HTML tag (and no
///   entity the model wrote) reaches the page.
/// - Line breaks and other control characters become one space: a table row or a list item
///   stays on one line, and no name can start a heading, list or code block.
///
/// Mustache's own HTML escaping (`{{name}}`) must not run on top of this: the templates
/// place every value with `{{{name}}}`.
public enum MarkdownEscaping {
    /// ASCII punctuation that gets a backslash: emphasis, code, links and images, table
    /// cells, strikethrough, math.
    static let backslashed: Set<Character> = ["\\", "`", "*", "_", "[", "]", "|", "~", "$"]

    /// Escapes `text` for inline Markdown: a table cell, a list item, a heading, a sentence.
    public static func text(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            // Line breaks, tabs and control characters (U+2028/2029 included) become one space.
            if scalar.properties.generalCategory == .control || scalar.value == 0x2028 || scalar.value == 0x2029 {
                pendingSpace = true
                continue
            }
            if pendingSpace {
                if !out.isEmpty && out.last != " " { out += " " }
                pendingSpace = false
            }
            switch scalar {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            default:
                let c = Character(scalar)
                // A `#` first would start a heading.
                if backslashed.contains(c) || (c == "#" && out.isEmpty) { out += "\\" }
                out.unicodeScalars.append(scalar)
            }
        }
        if pendingSpace && !out.isEmpty && out.last != " " { out += " " }
        return out
    }

    /// Escapes a whole paragraph: as `text`, and a leading `1.`, `-`, `+` or `=` cannot
    /// start a list or a heading underline, nor leading spaces a code block.
    public static func paragraph(_ paragraph: String) -> String {
        var escaped = text(paragraph)
        while escaped.first == " " { escaped.removeFirst() }
        // "2026. " would start an ordered list: escape the dot after leading digits.
        let digits = escaped.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, escaped.dropFirst(digits.count).first == "." {
            escaped.insert("\\", at: escaped.index(escaped.startIndex, offsetBy: digits.count))
        }
        if let first = escaped.first, "-+=".contains(first) { escaped.insert("\\", at: escaped.startIndex) }
        return escaped
    }

    /// A relative link target (`vision/resnet8/report.md`): every byte but unreserved
    /// characters and `/` is percent-encoded, so a folder name cannot close the link, add a
    /// title, or become a `javascript:` URL (the colon is encoded).
    public static func linkTarget(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if c.isASCII && (c.isLetter || c.isNumber || "-._~/".contains(c)) {
                out.append(c)
            } else {
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        // A leading "//" would make a protocol-relative URL to another host.
        while out.hasPrefix("//") { out.removeFirst() }
        return out
    }
}
