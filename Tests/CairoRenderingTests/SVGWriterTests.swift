import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import ModelKit
import Reporting
@testable import CairoRendering

@Suite struct SVGWriterTests {
    /// Collects the text of the first `<title>` and `<desc>` and the root element's name.
    final class Reader: NSObject, XMLParserDelegate {
        var root: String?
        var title = ""
        var desc = ""
        private var current: String?
        private var depth = 0

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if root == nil { root = name }
            depth += 1
            current = depth == 2 ? name : nil
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            depth -= 1
            current = nil
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if current == "title" { title += string }
            if current == "desc" { desc += string }
        }
    }

    @Test func parsesWithTitleAndDescription() throws {
        let dir = TempFolder("svg")
        let path = dir.path("diagram.svg")
        let scene = TestScenes.portrait(measurer: PangoTextMeasurer())
        try SVGWriter.write(scene: scene, to: path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("<title>Portrait &quot;quotes&quot; &lt;b&gt;&amp;amp; 🙂 </title>"))
        let parser = XMLParser(data: data)
        let reader = Reader()
        parser.delegate = reader
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(reader.root == "svg")
        #expect(reader.title == scene.title)
        #expect(reader.desc == scene.description)
        // Title and desc come first inside <svg>.
        let svgOpen = try #require(text.range(of: "<svg"))
        let afterTag = text[svgOpen.upperBound...].drop { $0 != ">" }.dropFirst().drop(while: \.isWhitespace)
        #expect(afterTag.hasPrefix("<title>"))
    }

    @Test func longTitleAndNoDescription() throws {
        let scene = TestScenes.wide()
        let data = try SVGWriter.data(scene: scene)
        let parser = XMLParser(data: data)
        let reader = Reader()
        parser.delegate = reader
        #expect(parser.parse())
        #expect(reader.title == TestScenes.longName)
        #expect(!String(decoding: data, as: UTF8.self).contains("<desc>"))
    }

    @Test func escaping() {
        #expect(SVGWriter.xmlEscaped("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&apos;")
        #expect(SVGWriter.xmlEscaped("x\u{0}\u{1}y\u{FFFE}\tz") == "xy\tz")
        #expect(SVGWriter.addTitle(to: "no root here", title: "t", description: "") == nil)
        #expect(SVGWriter.addTitle(to: "<?xml version=\"1.0\"?>\n<svg a=\"1\">\n</svg>", title: "T&", description: "D")
                == "<?xml version=\"1.0\"?>\n<svg a=\"1\">\n<title>T&amp;</title>\n<desc>D</desc>\n</svg>")
    }

    /// Cairo numbers surfaces with a process-wide counter; the writer renumbers them, so
    /// the same scene gives the same bytes however many surfaces came before.
    @Test func reproducible() throws {
        let a = try SVGWriter.data(scene: TestScenes.landscape())
        _ = try PNGWriter.data(scene: TestScenes.landscape(), scale: 0.1)
        let b = try SVGWriter.data(scene: TestScenes.landscape())
        #expect(a == b)
        #expect(String(decoding: a, as: UTF8.self).contains("id=\"surface1\""))
        #expect(SVGWriter.renumberSurfaces("<g id=\"surface88\"><use xlink:href=\"#surface7\"/><p>surface9 surface</p> url(#surface88)")
                == "<g id=\"surface1\"><use xlink:href=\"#surface2\"/><p>surface9 surface</p> url(#surface1)")
    }

    @Test func unwritablePath() {
        let path = "/nonexistent-strata-dir/d.svg"
        do {
            try SVGWriter.write(scene: TestScenes.landscape(), to: path)
            Issue.record("expected an error")
        } catch let error as StrataError {
            #expect(error.file == path)
        } catch {
            Issue.record("not a StrataError: \(error)")
        }
    }
}
