import Foundation
import Testing
import KerasFormat
import ModelKit
import Reporting
@testable import StrataCLI

/// One `ReportFormat` type from the configuration to the renderers: the same names as
/// before (`pdf, svg, md, json`) in the configuration, on the command line and in the
/// worker protocol, and one renderer per format.
@Suite struct ReportFormatTests {
    @Test func namesAndOrder() {
        #expect(ReportFormat.allCases.map(\.rawValue) == ["pdf", "svg", "md", "json"])
        #expect(ReportFormat.allNames == "pdf, svg, md, json")
        #expect([ReportFormat.json, .md, .pdf, .svg].sorted() == [.pdf, .svg, .md, .json])
    }

    /// Every name parses, on the command line and in the configuration, in canonical order.
    @Test(arguments: ReportFormat.allCases)
    func everyNameParses(_ format: ReportFormat) throws {
        #expect(try ConfigOverrides.parseFormats(format.rawValue) == [format])
        let other: ReportFormat = format == .json ? .pdf : .json
        #expect(try ConfigOverrides.parseFormats("\(other.rawValue), \(format.rawValue)") == [other, format].sorted())
        let config = try ConfigLoader.load(yaml: "formats: [\(format.rawValue)]\n", file: "cfg.yml")
        #expect(config.formats == [format])
    }

    /// The messages for names that are not formats, unchanged from the string sets.
    @Test func unknownNamesAreRefusedWithTheSameMessages() throws {
        #expect(throws: StrataError(place: "--format", "unknown format \"docx\" in \"md,docx\"; expected names from pdf, svg, md, json, separated by commas")) {
            try ConfigOverrides.parseFormats("md,docx")
        }
        #expect(throws: StrataError(place: "--format", "unknown format \"PDF\" in \"PDF\" (did you mean \"pdf\"?); expected names from pdf, svg, md, json, separated by commas")) {
            try ConfigOverrides.parseFormats("PDF")
        }
        do {
            _ = try ConfigLoader.load(yaml: "formats: [png]\n", file: "cfg.yml")
            Issue.record("png was accepted as a report format")
        } catch let e as StrataError {
            #expect(e.description == "cfg.yml: line 1, column 11, formats[0]: unknown format \"png\"; expected one of pdf, svg, md, json")
        }
    }

    /// In the worker protocol and the result store a format is its name, as the strings were.
    @Test func codesAsItsName() throws {
        let data = try JSONEncoder().encode(ReportFormat.allCases)
        #expect(String(decoding: data, as: UTF8.self) == #"["pdf","svg","md","json"]"#)
        #expect(try JSONDecoder().decode([ReportFormat].self, from: Data(#"["md","json"]"#.utf8)) == [.md, .json])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([ReportFormat].self, from: Data(#"["docx"]"#.utf8)) }
    }

    /// One renderer per format, in canonical order, each saying its own format.
    @Test func oneRendererPerFormat() {
        let all = ReportRenderers.renderers(for: [.json, .md, .svg, .pdf, .md], templates: nil)
        #expect(all.map(\.format) == [.pdf, .svg, .md, .json])
        #expect(Set(all.map(\.stage)).count == 4, "each renderer names its own stage")
        #expect(ReportRenderers.renderers(for: [ReportFormat](), templates: nil).isEmpty)
    }

    /// The renderers write the files each format stands for, and the picture renderers share
    /// one diagram layout.
    @Test func renderersWriteTheirFiles() throws {
        let path = CLITests.path("seed_resnet8/model.keras")
        let doc = ReportDocument(analysis: Analyzer.analyze(try ModelFileReader.read(path)), generatedAt: "2026-01-01T00:00:00Z")
        let renderers = ReportRenderers.renderers(for: ReportFormat.allCases, templates: nil)
        var names: [ReportFormat: [String]] = [:]
        for r in renderers { names[r.format] = try r.render(doc).map(\.name) }
        #expect(names[.pdf] == ["report.pdf"])
        #expect(names[.svg] == ["diagram.svg", "params.svg"])
        #expect(names[.md] == ["report.md"])
        #expect(names[.json] == ["report.json"])
        let json = try #require(try renderers.last?.render(doc).first?.data)
        #expect(try JSONParser.parse(Array(json))["schema"]?.stringValue == ReportJSON.schema)
    }

    @Test func drawingsAreLaidOutOncePerAnalysis() throws {
        let seed = Analyzer.analyze(try ModelFileReader.read(CLITests.path("seed_resnet8/model.keras")))
        let nested = Analyzer.analyze(try ModelFileReader.read(CLITests.path("case_nested/model.json")))
        let drawings = DiagramDrawings()
        let layout = DiagramLayout(measurer: ApproximateTextMeasurer(), engine: LayeredLayoutEngine())
        var layouts = 0
        func draw(_ a: ModelAnalysis) -> Diagram { drawings.drawing(of: a) { layouts += 1; return layout.diagram(a) } }
        let first = draw(seed)
        _ = draw(seed)
        #expect(layouts == 1, "the second renderer of the same analysis reuses the layout")
        _ = draw(nested)
        #expect(layouts == 2)
        #expect(draw(seed).boxes.count == first.boxes.count)
        #expect(layouts == 3, "another analysis replaced it")
    }
}
