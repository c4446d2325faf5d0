/// Checks a drawn page as a reader would see it: every text at a readable size, inside the
/// page, and clear of every other text. Tests run it over whole reports; the text boxes come
/// from the same measurer the layouts used.
public enum SceneCheck {
    /// One problem on a page, in words: which text, where, and what is wrong.
    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        public var page: Int
        public var message: String
        public var description: String { "page \(page): \(message)" }
    }

    /// The box a text run covers: its measured width placed per its anchor, its line height
    /// down from its origin.
    public static func box(_ text: String, origin: Point, style: TextStyle, anchor: TextAnchor, measurer: any TextMeasurer) -> Rect {
        let size = measurer.measure(text, style: style)
        let x: Double
        switch anchor {
        case .start: x = origin.x
        case .middle: x = origin.x - size.width / 2
        case .end: x = origin.x - size.width
        }
        return Rect(x, origin.y, size.width, size.height)
    }

    /// The problems of `pages` (numbered from 1): texts smaller than `minimumSize`, reaching
    /// outside the page, or overlapping another text by more than `tolerance` points both
    /// ways (a line box's leading may touch the next line's).
    public static func problems(_ pages: [Scene], measurer: any TextMeasurer, minimumSize: Double = Theme.minimumTextSize,
                                tolerance: Double = 1.0) -> [Problem] {
        var out: [Problem] = []
        for (k, page) in pages.enumerated() {
            var boxes: [(text: String, rect: Rect)] = []
            for p in page.primitives {
                guard case .text(let s, let o, let style, let anchor) = p, !s.isEmpty else { continue }
                if style.size < minimumSize - 1e-9 {
                    out.append(Problem(page: k + 1, message: "\"\(s)\" is \(style.size) pt, below \(minimumSize) pt"))
                }
                let r = box(s, origin: o, style: style, anchor: anchor, measurer: measurer)
                if r.x < -1e-6 || r.y < -1e-6 || r.maxX > page.size.width + 1e-6 || r.maxY > page.size.height + 1e-6 {
                    out.append(Problem(page: k + 1, message: "\"\(s)\" reaches outside the page (\(format(r)) on \(Int(page.size.width))×\(Int(page.size.height)))"))
                }
                boxes.append((s, r))
            }
            // Sweep in y: each box against those that start before it ends.
            let order = boxes.indices.sorted { boxes[$0].rect.y < boxes[$1].rect.y }
            for (n, i) in order.enumerated() {
                let a = boxes[i].rect
                for j in order[(n + 1)...] {
                    let b = boxes[j].rect
                    if b.y >= a.maxY - tolerance { break }
                    let dx = min(a.maxX, b.maxX) - max(a.x, b.x)
                    let dy = min(a.maxY, b.maxY) - max(a.y, b.y)
                    if dx > tolerance && dy > tolerance {
                        out.append(Problem(page: k + 1, message: "\"\(boxes[i].text)\" (\(format(a))) overlaps \"\(boxes[j].text)\" (\(format(b)))"))
                    }
                }
            }
        }
        return out
    }

    static func format(_ r: Rect) -> String {
        func n(_ v: Double) -> String { String(Int((v * 10).rounded()) / 10) }
        return "x \(n(r.x))–\(n(r.maxX)), y \(n(r.y))–\(n(r.maxY))"
    }
}
