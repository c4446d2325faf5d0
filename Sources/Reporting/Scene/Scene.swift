/// A text style: family, size in points, weight, colour.
public struct TextStyle: Hashable, Sendable {
    public enum Weight: String, Sendable { case regular, bold }
    public var family: String
    public var size: Double
    public var weight: Weight
    public var italic: Bool
    public var color: Color

    public init(family: String = TextStyle.sans, size: Double, weight: Weight = .regular, italic: Bool = false, color: Color = .black) {
        self.family = family
        self.size = size
        self.weight = weight
        self.italic = italic
        self.color = color
    }

    public static let sans = "DejaVu Sans"
    public static let mono = "DejaVu Sans Mono"
}

/// Where a text run's `origin.x` sits on the run.
public enum TextAnchor: String, Sendable { case start, middle, end }

/// A cubic Bezier path: a start point and segments of (control 1, control 2, end).
public struct BezierPath: Hashable, Sendable {
    public var start: Point
    public var segments: [Segment]
    public struct Segment: Hashable, Sendable {
        public var control1: Point
        public var control2: Point
        public var end: Point
        public init(_ control1: Point, _ control2: Point, _ end: Point) {
            self.control1 = control1
            self.control2 = control2
            self.end = end
        }
    }
    public init(start: Point, segments: [Segment]) {
        self.start = start
        self.segments = segments
    }
    public var end: Point { segments.last?.end ?? start }
}

/// One drawing instruction. Every renderer (PDF, SVG, PNG) draws the same list.
public enum Primitive: Hashable, Sendable {
    /// A rectangle, optionally rounded, filled and/or stroked.
    case rect(Rect, fill: Color?, stroke: Color?, lineWidth: Double, cornerRadius: Double)
    /// A polyline.
    case line([Point], stroke: Color, lineWidth: Double, dash: [Double])
    /// A Bezier curve (graph edges).
    case curve(BezierPath, stroke: Color, lineWidth: Double, dash: [Double])
    /// A closed polygon (arrow heads, markers).
    case polygon([Point], fill: Color?, stroke: Color?, lineWidth: Double)
    /// One line of text; `origin.y` is the top of the line box, `origin.x` per `anchor`.
    case text(String, origin: Point, style: TextStyle, anchor: TextAnchor)
}

/// A drawing: its size, accessible title and description, and its primitives in painting
/// order. Layouts build scenes; renderers draw them; `textDump` is a stable text form for
/// golden tests.
public struct Scene: Hashable, Sendable {
    public var size: Size
    public var title: String
    public var description: String
    public var primitives: [Primitive]

    public init(size: Size, title: String, description: String = "", primitives: [Primitive] = []) {
        self.size = size
        self.title = title
        self.description = description
        self.primitives = primitives
    }

    public mutating func add(_ p: Primitive) { primitives.append(p) }

    /// Every text run, in painting order (for tests: "the PDF holds every layer name").
    public var texts: [String] {
        primitives.compactMap { if case .text(let s, _, _, _) = $0 { return s }; return nil }
    }

    /// One line per primitive, coordinates to 0.1 pt: stable across runs and machines as
    /// long as the layout is.
    public var textDump: String {
        func n(_ v: Double) -> String {
            let r = (v * 10).rounded() / 10
            return r == r.rounded() ? String(Int(r)) : String(r)
        }
        func p(_ pt: Point) -> String { "\(n(pt.x)),\(n(pt.y))" }
        func c(_ col: Color?) -> String { col.map { $0.hexString + ($0.alpha < 1 ? "@\(n($0.alpha))" : "") } ?? "none" }
        var lines = ["scene \(n(size.width))x\(n(size.height)) \"\(title)\""]
        for prim in primitives {
            switch prim {
            case .rect(let r, let fill, let stroke, let w, let radius):
                lines.append("rect \(n(r.x)),\(n(r.y)) \(n(r.width))x\(n(r.height)) fill=\(c(fill)) stroke=\(c(stroke)) w=\(n(w)) r=\(n(radius))")
            case .line(let pts, let stroke, let w, let dash):
                lines.append("line \(pts.map(p).joined(separator: " ")) stroke=\(c(stroke)) w=\(n(w))" + (dash.isEmpty ? "" : " dash"))
            case .curve(let path, let stroke, let w, let dash):
                lines.append("curve \(p(path.start)) " + path.segments.map { "\(p($0.control1)) \(p($0.control2)) \(p($0.end))" }.joined(separator: " ") + " stroke=\(c(stroke)) w=\(n(w))" + (dash.isEmpty ? "" : " dash"))
            case .polygon(let pts, let fill, let stroke, _):
                lines.append("polygon \(pts.map(p).joined(separator: " ")) fill=\(c(fill)) stroke=\(c(stroke))")
            case .text(let s, let o, let style, let anchor):
                lines.append("text \(p(o)) \(anchor.rawValue) \(n(style.size))\(style.weight == .bold ? "b" : "") \(c(style.color)) \"\(s)\"")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Measures text as it will be drawn. The Pango measurer in CairoRendering is the real one;
/// layouts take any measurer so tests can run with a fixed one.
public protocol TextMeasurer: Sendable {
    /// Width and height of one line of `text` in `style`, in points.
    func measure(_ text: String, style: TextStyle) -> Size
}

/// A fixed-width estimate (0.6 em per character, 1.2 em line height) for tests and for
/// machines without Pango.
public struct ApproximateTextMeasurer: TextMeasurer {
    public init() {}
    public func measure(_ text: String, style: TextStyle) -> Size {
        Size(Double(text.count) * style.size * 0.6, style.size * 1.2)
    }
}
