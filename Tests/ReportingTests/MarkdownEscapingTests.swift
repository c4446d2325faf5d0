import Testing
@testable import Reporting

/// Strings from a model file must render literally: no HTML, no Markdown, no broken table.
@Suite struct MarkdownEscapingTests {
    @Test(arguments: [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("a|b", "a\\|b"),
        ("**bold**", "\\*\\*bold\\*\\*"),
        ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
        ("![img](http://x/y.png)", "!\\[img\\](http://x/y.png)"),
        ("back\\slash", "back\\\\slash"),
        ("`code`", "\\`code\\`"),
        ("_em_ ~~del~~", "\\_em\\_ \\~\\~del\\~\\~"),
        ("# heading", "\\# heading"),
        ("issue #12", "issue #12"),
        ("{x} $y$ @user %m", "{x} \\$y\\$ @user %m"),
        ("Keras counts 4 (gamma: scale)!", "Keras counts 4 (gamma: scale)!"),
        ("&lt; & &amp;", "&amp;lt; &amp; &amp;amp;"),
        ("a\nb\r\nc\td", "a b c d"),
        ("line\n\n\nnext", "line next"),
        ("conv2d_1", "conv2d\\_1"),
        ("plain text 123", "plain text 123"),
        ("Ünïcødé → ×", "Ünïcødé → ×"),
    ])
    func text(input: String, expected: String) {
        #expect(MarkdownEscaping.text(input) == expected)
    }

    /// No raw tag survives, whatever the name.
    @Test func noRawHTML() {
        for name in ["<script>", "<img src=x onerror=alert(1)>", "<<script>>", "<a href=\"x\">", "</table>"] {
            let out = MarkdownEscaping.text(name)
            #expect(!out.contains("<"), "\(out)")
            #expect(!out.contains(">"), "\(out)")
        }
    }

    /// A pipe never stays unescaped: after escaping, each `|` has an odd number of
    /// backslashes before it (one escapes the pipe, pairs are escaped backslashes).
    @Test func pipesStayEscaped() {
        for name in ["|", "a|b|c", "\\|", "\\\\|", "|\\"] {
            #expect(MarkdownTableCheck.separators(in: MarkdownEscaping.text(name)) == 0, "\(name)")
        }
    }

    @Test(arguments: [
        ("1. first", "1\\. first"),
        ("2026. year", "2026\\. year"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("=== ", "\\=== "),
        ("    code", "code"),
        ("10 layers have a kernel.", "10 layers have a kernel."),
    ])
    func paragraph(input: String, expected: String) {
        #expect(MarkdownEscaping.paragraph(input) == expected)
    }

    @Test(arguments: [
        ("vision/resnet8/report.md", "vision/resnet8/report.md"),
        ("my models/res net(1)/report.md", "my%20models/res%20net%281%29/report.md"),
        ("javascript:alert(1)", "javascript%3Aalert%281%29"),
        ("a]b)c<d>\"e", "a%5Db%29c%3Cd%3E%22e"),
        ("//evil.example/x", "/evil.example/x"),
        ("modèle", "mod%C3%A8le"),
    ])
    func linkTarget(input: String, expected: String) {
        #expect(MarkdownEscaping.linkTarget(input) == expected)
    }
}
