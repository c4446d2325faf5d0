extension Primitive {
    /// The same primitive moved by (dx, dy).
    public func translated(_ dx: Double, _ dy: Double) -> Primitive {
        func m(_ p: Point) -> Point { Point(p.x + dx, p.y + dy) }
        switch self {
        case .rect(let r, let fill, let stroke, let w, let radius):
            return .rect(Rect(r.x + dx, r.y + dy, r.width, r.height), fill: fill, stroke: stroke, lineWidth: w, cornerRadius: radius)
        case .line(let pts, let stroke, let w, let dash):
            return .line(pts.map(m), stroke: stroke, lineWidth: w, dash: dash)
        case .curve(let path, let stroke, let w, let dash):
            let moved = BezierPath(start: m(path.start), segments: path.segments.map { .init(m($0.control1), m($0.control2), m($0.end)) })
            return .curve(moved, stroke: stroke, lineWidth: w, dash: dash)
        case .polygon(let pts, let fill, let stroke, let w):
            return .polygon(pts.map(m), fill: fill, stroke: stroke, lineWidth: w)
        case .text(let s, let o, let style, let anchor):
            return .text(s, origin: m(o), style: style, anchor: anchor)
        }
    }
}
