import Foundation
import Reporting

/// Hand-made scenes with every primitive kind and hostile text.
enum TestScenes {
    static let hostile = "\"quotes\" <b>&amp; 🙂 "
    /// 300 characters, underscores and digits like a generated layer name.
    static let longName: String = {
        var s = ""
        var i = 0
        while s.count < 300 { s += "block\(i)_conv_"; i += 1 }
        return String(s.prefix(300))
    }()
    static let boxStyle = TextStyle(size: 12, color: Color(hex: 0x1F2328))

    /// A4 portrait: boxes with centred, start- and end-anchored labels, a dashed line, a
    /// curve with an arrow head, and the hostile run.
    static func portrait(measurer: any TextMeasurer) -> Scene {
        var scene = Scene(size: Size(595, 842), title: "Portrait \(hostile)", description: "Every primitive & <hostile> text")
        let box = Rect(100, 100, 300, 60)
        scene.add(.rect(box, fill: Color(hex: 0xDDF4FF), stroke: Color(hex: 0x0969DA), lineWidth: 1, cornerRadius: 6))
        let label = "Centred label"
        let h = measurer.measure(label, style: boxStyle).height
        scene.add(.text(label, origin: Point(box.center.x, box.center.y - h / 2), style: boxStyle, anchor: .middle))
        // Guides: the box's vertical centre line.
        scene.add(.line([Point(box.center.x, 90), Point(box.center.x, 170)], stroke: Color(hex: 0xCF222E), lineWidth: 0.5, dash: [2, 2]))

        let box2 = Rect(100, 200, 300, 40)
        scene.add(.rect(box2, fill: nil, stroke: .black, lineWidth: 0.5, cornerRadius: 0))
        scene.add(.text("start", origin: Point(box2.x, box2.y), style: boxStyle, anchor: .start))
        scene.add(.text("end", origin: Point(box2.maxX, box2.y), style: boxStyle, anchor: .end))
        scene.add(.text("bold italic", origin: Point(box2.center.x, box2.y + 20), style: TextStyle(size: 9, weight: .bold, italic: true, color: Color(hex: 0x9A6700)), anchor: .middle))

        scene.add(.curve(BezierPath(start: Point(250, 240), segments: [.init(Point(250, 300), Point(150, 300), Point(150, 360))]),
                         stroke: Color(hex: 0x57606A), lineWidth: 1.2, dash: []))
        scene.add(.polygon([Point(146, 352), Point(154, 352), Point(150, 360)], fill: Color(hex: 0x57606A), stroke: nil, lineWidth: 0))
        scene.add(.curve(BezierPath(start: Point(250, 240), segments: [.init(Point(250, 300), Point(350, 300), Point(350, 360))]),
                         stroke: Color(hex: 0x57606A), lineWidth: 1.2, dash: [4, 2]))
        scene.add(.polygon([Point(340, 380), Point(360, 380), Point(350, 395)], fill: Color(hex: 0xFFF8C5), stroke: Color(hex: 0x9A6700), lineWidth: 1))
        scene.add(.text(hostile, origin: Point(100, 420), style: TextStyle(size: 10), anchor: .start))
        scene.add(.text("mono 6pt (1, 224, 224, 3)", origin: Point(100, 440), style: TextStyle(family: TextStyle.mono, size: 6), anchor: .start))
        return scene
    }

    /// A4 landscape with a heading.
    static func landscape() -> Scene {
        var scene = Scene(size: Size(842, 595), title: "Landscape")
        scene.add(.rect(Rect(20, 20, 802, 555), fill: Color(hex: 0xF6F8FA), stroke: nil, lineWidth: 0, cornerRadius: 12))
        scene.add(.text("Landscape heading", origin: Point(421, 40), style: TextStyle(size: 18, weight: .bold), anchor: .middle))
        return scene
    }

    /// A wide strip for the 300-character name at 6 pt.
    static func wide() -> Scene {
        var scene = Scene(size: Size(1200, 60), title: longName)
        scene.add(.text(longName, origin: Point(10, 20), style: TextStyle(size: 6), anchor: .start))
        return scene
    }

}
