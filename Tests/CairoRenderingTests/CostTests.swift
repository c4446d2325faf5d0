import Foundation
import Testing
import Reporting
@testable import CairoRendering

/// The cost of a NASNetLarge-sized drawing (1,041 boxes, ~3,000 text runs, ~1,200 edges):
/// measured here in whatever build the tests run in; the bounds are loose (a debug build on a
/// shared machine) and only catch a cost of a different order, such as a Pango context per call.
@Suite struct CostTests {
    static func bigScene(measurer: any TextMeasurer) -> [Scene] {
        var pages: [Scene] = []
        var scene = Scene(size: Size(595, 842), title: "big")
        let name = TextStyle(size: 7, weight: .bold)
        let small = TextStyle(size: 6)
        for i in 0..<1041 {
            if i % 40 == 0, i > 0 { pages.append(scene); scene = Scene(size: Size(595, 842), title: "big \(pages.count)") }
            let y = Double(i % 40) * 20 + 10
            let texts = ["normal_\(i % 300)_sep_conv_\(i)", "SeparableConv2D  (None, 42, 42, \(i % 7 * 84))"]
            let w = max(measurer.measure(texts[0], style: name).width, measurer.measure(texts[1], style: small).width) + 8
            scene.add(.rect(Rect(100, y, w, 18), fill: Color(hex: 0xDDF4FF), stroke: Color(hex: 0x0969DA), lineWidth: 0.8, cornerRadius: 3))
            scene.add(.text(texts[0], origin: Point(100 + w / 2, y + 1), style: name, anchor: .middle))
            scene.add(.text(texts[1], origin: Point(100 + w / 2, y + 10), style: small, anchor: .middle))
            scene.add(.curve(BezierPath(start: Point(90, y), segments: [.init(Point(60, y + 5), Point(60, y + 25), Point(90, y + 30))]),
                             stroke: Color(hex: 0x57606A), lineWidth: 0.8, dash: []))
            scene.add(.polygon([Point(90, y + 30), Point(86, y + 27), Point(86, y + 33)], fill: Color(hex: 0x57606A), stroke: nil, lineWidth: 0))
        }
        pages.append(scene)
        return pages
    }

    @Test func nasnetSizedDrawing() throws {
        let clock = ContinuousClock()
        let measurer = PangoTextMeasurer()
        var pages: [Scene] = []
        let measuring = clock.measure { pages = Self.bigScene(measurer: measurer) }
        var pdf = Data()
        let pdfTime = try clock.measure { pdf = try PDFWriter.data(pages: pages, metadata: PDFMetadata(title: "big", date: "2026-01-01")) }
        var all = Scene(size: Size(595, 842 * Double(pages.count)), title: "all")
        for (i, p) in pages.enumerated() {
            for prim in p.primitives {
                if case .text(let s, let o, let st, let a) = prim { all.add(.text(s, origin: Point(o.x, o.y + 842 * Double(i)), style: st, anchor: a)) }
            }
        }
        let svgTime = try clock.measure { _ = try SVGWriter.data(scene: all) }
        print("cost: measure 3,123 strings \(measuring), PDF \(pages.count) pages \(pdf.count) bytes \(pdfTime), SVG \(svgTime)")
        if let out = ProcessInfo.processInfo.environment["CAIRO_TEST_OUT"] {
            try PNGWriter.write(scene: pages[0], to: out + "/big-page1.png", scale: 3)
            try pdf.write(to: URL(fileURLWithPath: out + "/big.pdf"))
        }
        #expect(measuring < .seconds(1))
        #expect(pdfTime < .seconds(3))
    }
}
