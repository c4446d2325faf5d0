import Foundation
import Testing
import ModelKit
import Reporting
@testable import CairoRendering

@Suite struct PDFWriterTests {
    static let metadata = PDFMetadata(title: "Report (a\\b) \(TestScenes.hostile)", subject: "Model report", keywords: ["keras", "strata"],
                                      date: "2026-01-01T00:00:00Z")

    static func pages() -> [Scene] {
        [TestScenes.portrait(measurer: PangoTextMeasurer()), TestScenes.landscape(), TestScenes.wide()]
    }

    /// "Key:   value" lines of pdfinfo.
    static func info(_ path: String) throws -> [String: String] {
        let text = try Tool(name: "pdfinfo").run(["-isodates", "-f", "1", "-l", "99", path])
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }

    @Test func pagesSizesAndMetadata() throws {
        let dir = TempFolder("pdf")
        let path = dir.path("report.pdf")
        try PDFWriter.write(pages: Self.pages(), to: path, metadata: Self.metadata)
        let info = try Self.info(path)
        #expect(info["Pages"] == "3")
        #expect(info["Page    1 size"]?.hasPrefix("595 x 842 pts") == true, "\(info)")
        #expect(info["Page    2 size"]?.hasPrefix("842 x 595 pts") == true, "\(info)")
        #expect(info["Page    3 size"]?.hasPrefix("1200 x 60 pts") == true, "\(info)")
        #expect(info["Title"] == "Report (a\\b) \(TestScenes.hostile)".trimmingCharacters(in: .whitespaces))
        #expect(info["Subject"] == "Model report")
        #expect(info["Keywords"] == "keras, strata")
        #expect(info["Creator"] == "Strata \(StrataVersion.current)")
        #expect(info["CreationDate"]?.hasPrefix("2026-01-01T00:00:00") == true, "\(info)")
        #expect(info["ModDate"]?.hasPrefix("2026-01-01T00:00:00") == true, "\(info)")
    }

    @Test func textIsRealText() throws {
        let dir = TempFolder("pdftext")
        let path = dir.path("report.pdf")
        let pages = Self.pages()
        try PDFWriter.write(pages: pages, to: path, metadata: Self.metadata)
        let text = try Tool(name: "pdftotext").run(["-layout", path, "-"])
        let squeezed = text.filter { !$0.isWhitespace }
        // The emoji has no glyph in the installed fonts (DejaVu only): Pango draws a box.
        let emojiFont = (try? Tool(name: "fc-list").run([":charset=1f642"]))?.isEmpty == false
        for page in pages {
            for run in page.texts {
                var expected = run.filter { !$0.isWhitespace }
                if !emojiFont { expected = expected.replacingOccurrences(of: "🙂", with: "") }
                #expect(squeezed.contains(expected), "pdftotext lacks \(run.prefix(60))")
            }
        }
    }

    /// Two runs with the same scenes and run date write the same bytes: nothing from the
    /// clock, no random document ID.
    @Test func reproducible() throws {
        let a = try PDFWriter.data(pages: Self.pages(), metadata: Self.metadata)
        let b = try PDFWriter.data(pages: Self.pages(), metadata: Self.metadata)
        #expect(a == b)
        var other = Self.metadata
        other.date = "2026-01-02T00:00:00Z"
        #expect(try PDFWriter.data(pages: Self.pages(), metadata: other) != a)
    }

    @Test func errorsNameTheFile() throws {
        let path = "/nonexistent-strata-dir/report.pdf"
        #expect(throws: StrataError.self) { try PDFWriter.write(pages: Self.pages(), to: path, metadata: Self.metadata) }
        do {
            try PDFWriter.write(pages: Self.pages(), to: path, metadata: Self.metadata)
        } catch let error as StrataError {
            #expect(error.file == path)
            #expect(error.description.contains(path))
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        do {
            _ = try PDFWriter.data(pages: [], metadata: Self.metadata, file: "empty.pdf")
            Issue.record("no pages must throw")
        } catch let error as StrataError {
            #expect(error.file == "empty.pdf")
        }
        var undated = Self.metadata
        undated.date = "Thursday"
        #expect(throws: StrataError.self) { try PDFWriter.data(pages: Self.pages(), metadata: undated) }
        #expect(PDFWriter.isISODate("2026-01-31") && PDFWriter.isISODate("2026-01-31T02:00:00Z") && PDFWriter.isISODate("2026-01-31T02:00+01:00"))
        #expect(!PDFWriter.isISODate("2026-1-31") && !PDFWriter.isISODate("2026-01-31 02:00"))
        let bad = Scene(size: Size(.nan, 100), title: "bad")
        #expect(throws: StrataError.self) { try PDFWriter.data(pages: [bad], metadata: Self.metadata) }
    }

    /// Non-finite coordinates and zero sizes are skipped, not fatal to the document.
    @Test func degeneratePrimitivesDoNotBreakThePage() throws {
        var scene = Scene(size: Size(200, 200), title: "degenerate")
        scene.add(.rect(Rect(.nan, 0, 10, 10), fill: .black, stroke: nil, lineWidth: 0, cornerRadius: 0))
        scene.add(.line([Point(0, 0), Point(.infinity, 3)], stroke: .black, lineWidth: 1, dash: []))
        scene.add(.line([Point(0, 0)], stroke: .black, lineWidth: 1, dash: [0, 0]))
        scene.add(.rect(Rect(10, 10, 0, 0), fill: .black, stroke: .black, lineWidth: 1, cornerRadius: 50))
        scene.add(.text("", origin: Point(5, 5), style: TextStyle(size: 9), anchor: .middle))
        scene.add(.text("zero", origin: Point(5, 5), style: TextStyle(size: 0), anchor: .middle))
        let nonchars = String(String.UnicodeScalarView([0xFFFE, 0xFDD0, 0x1FFFF].map { Unicode.Scalar($0)! }))
        scene.add(.text("nul\u{0}and\nnewline" + nonchars, origin: Point(5, 100), style: TextStyle(size: 9), anchor: .start))
        scene.add(.text("after", origin: Point(5, 150), style: TextStyle(size: 9), anchor: .start))
        let dir = TempFolder("degenerate")
        try PDFWriter.write(pages: [scene], to: dir.path("d.pdf"), metadata: PDFMetadata(title: "t\u{FFFF}\u{0}", date: "2026-01-01"))
        let text = try Tool(name: "pdftotext").run([dir.path("d.pdf"), "-"])
        #expect(text.contains("after"))
        #expect(text.contains("nul"))
        #expect(try SVGWriter.data(scene: scene).count > 0)
    }
}

extension PDFWriterTests {
    /// Renders on several threads at once (each thread its own Pango font map) give the
    /// bytes one thread gives.
    @Test func concurrentRendersMatch() throws {
        let expected = try PDFWriter.data(pages: Self.pages(), metadata: Self.metadata)
        let expectedSVG = try SVGWriter.data(scene: TestScenes.landscape())
        final class Box: @unchecked Sendable { var pdf: [Data?] = Array(repeating: nil, count: 6); var svg: [Data?] = Array(repeating: nil, count: 6); let lock = NSLock() }
        let box = Box()
        DispatchQueue.concurrentPerform(iterations: 6) { i in
            let pdf = try? PDFWriter.data(pages: Self.pages(), metadata: Self.metadata)
            let svg = try? SVGWriter.data(scene: TestScenes.landscape())
            box.lock.lock(); box.pdf[i] = pdf; box.svg[i] = svg; box.lock.unlock()
        }
        #expect(box.pdf.allSatisfy { $0 == expected })
        #expect(box.svg.allSatisfy { $0 == expectedSVG })
    }
}
