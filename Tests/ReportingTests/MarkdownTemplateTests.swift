import Foundation
import Testing
import ModelKit
@testable import Reporting

/// The templates: built-in copies identical to Templates/, the fallback when a folder lacks
/// a file, a user's own template, and parse errors that name file and position.
@Suite struct MarkdownTemplateTests {
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Templates")

    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("strata-templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The built-in copies are the files (regenerate with scripts/embed-markdown-templates.py).
    @Test func builtInIsTheFile() throws {
        for (file, builtIn) in [(MarkdownTemplates.reportFile, MarkdownDefaultTemplates.report), (MarkdownTemplates.indexFile, MarkdownDefaultTemplates.index)] {
            let text = try String(contentsOf: Self.templates.appendingPathComponent(file), encoding: .utf8)
            #expect(text == builtIn, "\(file) differs from its built-in copy: run scripts/embed-markdown-templates.py")
        }
    }

    /// Rendering with the Templates folder and with none gives the same text.
    @Test func folderAndBuiltInAgree() throws {
        let doc = try MarkdownReportTests.seedWithChange()
        #expect(try MarkdownReport.render(doc, templatesFolder: Self.templates.path) == MarkdownReport.render(doc, templatesFolder: nil))
        let index = MarkdownIndexTests.sample()
        #expect(try MarkdownIndex.render(index, templatesFolder: Self.templates.path) == MarkdownIndex.render(index, templatesFolder: nil))
    }

    /// A folder without the file falls back to the built-in template; one with it uses it.
    @Test func userTemplate() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let doc = try MarkdownReportTests.seed()
        #expect(try MarkdownReport.render(doc, templatesFolder: folder.path) == MarkdownReport.render(doc, templatesFolder: nil))
        try "{{{title}}} has {{{figures.params}}} parameters{{#layers}}, {{{name}}}{{/layers}}\n"
            .write(to: folder.appendingPathComponent("report.md.mustache"), atomically: true, encoding: .utf8)
        let md = try MarkdownReport.render(doc, templatesFolder: folder.path)
        #expect(md.hasPrefix("resnet8\\_cifar10 has 78,666 parameters, input\\_layer, conv2d, batch\\_normalization, "))
        #expect(md.hasSuffix(", flatten, dense\n"))
    }

    /// `{{name}}` in a user's template HTML-escapes a second time: ugly, never unsafe.
    @Test func doubleBracesStaySafe() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "{{title}}\n".write(to: folder.appendingPathComponent("report.md.mustache"), atomically: true, encoding: .utf8)
        var doc = try MarkdownReportTests.seed()
        doc.analysis.modelName = "<b>x</b>"
        #expect(try MarkdownReport.render(doc, templatesFolder: folder.path) == "&amp;lt;b&amp;gt;x&amp;lt;/b&amp;gt;\n")
    }

    /// `{{/rows}}` closes `{{#layers}}` on line 3; the name starts at column 4.
    @Test func parseErrorNamesFileAndPlace() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("index.md.mustache").path
        try "# Index\n{{#entries}}\n{{/rows}}\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(throws: StrataError.self) { try MarkdownIndex.render(MarkdownIndexTests.sample(), templatesFolder: folder.path) }
        #expect(error.file == path)
        #expect(error.place == "line 3, column 4")
        #expect(error.message.contains("closed with another name"))
        #expect(error.message.contains("{{/rows}}"))
    }

    @Test func unclosedSection() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("report.md.mustache").path
        try "{{#layers}}\n| {{{name}}} |\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(throws: StrataError.self) { try MarkdownReport.render(MarkdownReportTests.seed(), templatesFolder: folder.path) }
        #expect(error.file == path)
        #expect(error.message.contains("never closed"))
    }
}
