import Foundation
import Testing
import ModelKit
import Reporting
@testable import CairoRendering

@Suite struct PangoTextMeasurerTests {
    /// One `<word>` of `pdftotext -bbox`.
    struct Word {
        var text: String
        var xMin, yMin, xMax, yMax: Double
    }

    static func words(_ pdf: String) throws -> [Word] {
        let html = try Tool(name: "pdftotext").run(["-bbox", pdf, "-"])
        let regex = try NSRegularExpression(pattern: #"<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>"#)
        let ns = html as NSString
        return regex.matches(in: html, range: NSRange(location: 0, length: ns.length)).map { m in
            func d(_ i: Int) -> Double { Double(ns.substring(with: m.range(at: i)))! }
            return Word(text: ns.substring(with: m.range(at: 5)), xMin: d(1), yMin: d(2), xMax: d(3), yMax: d(4))
        }
    }

    @Test func emptyStringHasNoWidth() {
        let m = PangoTextMeasurer()
        let size = m.measure("", style: TextStyle(size: 12))
        #expect(size.width == 0)
        #expect(size.height > 12 && size.height < 12 * 1.4)
    }

    /// Points, not 96-dpi pixels: DejaVu Sans's line is about 1.16 em; widths scale with size.
    @Test func sizesArePoints() {
        let m = PangoTextMeasurer()
        let nine = m.measure("Conv2D", style: TextStyle(size: 9))
        let eighteen = m.measure("Conv2D", style: TextStyle(size: 18))
        #expect(nine.height > 9 * 1.1 && nine.height < 9 * 1.25, "\(nine)")
        #expect(abs(eighteen.width - 2 * nine.width) < 0.05, "\(nine) \(eighteen)")
        #expect(m.measure("Conv2D", style: TextStyle(size: 9, weight: .bold)).width > nine.width)
        #expect(m.measure("Conv2D", style: TextStyle(family: TextStyle.mono, size: 9)).width == 6 * m.measure("x", style: TextStyle(family: TextStyle.mono, size: 9)).width)
        // Colour does not change a measurement.
        #expect(m.measure("Conv2D", style: TextStyle(size: 9, color: .white)) == nine)
    }

    /// Pango's width (kerning: "AV", "Ty") differs from the naive 0.6 em per character and
    /// matches the width of the same run in the PDF, as pdftotext reports it.
    @Test func avatarMatchesThePDF() throws {
        let style = TextStyle(size: 12)
        let width = PangoTextMeasurer().measure("AVATAR Type", style: style).width
        let naive = ApproximateTextMeasurer().measure("AVATAR Type", style: style).width
        #expect(abs(width - naive) > 1, "pango \(width), naive \(naive)")
        #expect(width > 60 && width < 85)

        var scene = Scene(size: Size(300, 100), title: "avatar")
        scene.add(.text("AVATAR Type", origin: Point(50, 40), style: style, anchor: .start))
        let dir = TempFolder("avatar")
        let path = dir.path("avatar.pdf")
        try PDFWriter.write(pages: [scene], to: path, metadata: PDFMetadata(title: "avatar", date: "2026-01-01"))
        let words = try Self.words(path)
        let first = try #require(words.first { $0.text == "AVATAR" })
        let last = try #require(words.first { $0.text == "Type" })
        #expect(abs(first.xMin - 50) < 0.2, "\(first)")
        #expect(abs((last.xMax - first.xMin) - width) < 0.5, "pdf \(last.xMax - first.xMin) vs pango \(width)")
        // The font in the PDF is 12 pt: the word box is about one line high.
        #expect(first.yMax - first.yMin > 11 && first.yMax - first.yMin < 15, "\(first)")
    }

    /// Anchors and the line-box top, checked in the PDF against the coordinates given.
    @Test func anchorsAndTop() throws {
        let m = PangoTextMeasurer()
        let style = TextStyle(size: 10)
        var scene = Scene(size: Size(400, 200), title: "anchors")
        scene.add(.text("Start", origin: Point(100, 30), style: style, anchor: .start))
        scene.add(.text("Middle", origin: Point(200, 80), style: style, anchor: .middle))
        scene.add(.text("End", origin: Point(300, 130), style: style, anchor: .end))
        let dir = TempFolder("anchors")
        let path = dir.path("anchors.pdf")
        try PDFWriter.write(pages: [scene], to: path, metadata: PDFMetadata(title: "anchors", date: "2026-01-01"))
        let words = try Self.words(path)
        let start = try #require(words.first { $0.text == "Start" })
        let middle = try #require(words.first { $0.text == "Middle" })
        let end = try #require(words.first { $0.text == "End" })
        #expect(abs(start.xMin - 100) < 0.2)
        #expect(abs((middle.xMin + middle.xMax) / 2 - 200) < 0.3, "\(middle)")
        #expect(abs(end.xMax - 300) < 0.3, "\(end)")
        #expect(abs(start.xMax - start.xMin - m.measure("Start", style: style).width) < 0.3)
        // pdftotext's box runs from the font's ascent to its descent: the line box.
        let line = m.measure("Start", style: style).height
        for (word, top) in [(start, 30.0), (middle, 80.0), (end, 130.0)] {
            #expect(abs(word.yMin - top) < 1, "\(word) top \(top)")
            #expect(abs(word.yMax - (top + line)) < 1.5, "\(word) bottom \(top + line)")
        }
    }

    /// Several threads measuring at once get what one thread gets.
    @Test func threadSafe() {
        let m = PangoTextMeasurer()
        let texts = (0..<400).map { "layer_\($0) \(["Conv2D", "Dense", "Add", "🙂", "<&>"][$0 % 5])" }
        let styles = [TextStyle(size: 7), TextStyle(size: 9, weight: .bold), TextStyle(family: TextStyle.mono, size: 7)]
        let reference = PangoTextMeasurer()
        let expected = texts.map { t in styles.map { reference.measure(t, style: $0) } }
        final class Box: @unchecked Sendable { var results = [[Size]](repeating: [], count: 400); let lock = NSLock() }
        let box = Box()
        DispatchQueue.concurrentPerform(iterations: 400) { i in
            let r = styles.map { m.measure(texts[i], style: $0) }
            box.lock.lock(); box.results[i] = r; box.lock.unlock()
        }
        #expect(box.results == expected)
    }

    /// Hostile and very long text measures without trouble, and longer is wider.
    @Test func hostileText() {
        let m = PangoTextMeasurer()
        let style = TextStyle(size: 6)
        let long = m.measure(TestScenes.longName, style: style)
        #expect(long.width > 300 * 6 * 0.4 && long.width < 300 * 6 * 0.7, "\(long)")
        #expect(m.measure(TestScenes.hostile, style: style).width > m.measure("\"quotes\"", style: style).width)
        #expect(m.measure("a\nb", style: style).height == m.measure("ab", style: style).height)
    }
}
