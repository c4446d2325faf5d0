/// Cuts Bezier paths at a rectangle's border, for diagrams split over pages: the pieces of a
/// path inside the rectangle, in path order. Splits are exact (de Casteljau); pieces are
/// found to within a quarter point.
enum BezierClipping {
    struct Piece {
        var path: BezierPath
        /// The piece begins where the whole path begins (not at the rectangle's border).
        var atPathStart: Bool
        /// The piece ends where the whole path ends.
        var atPathEnd: Bool
    }

    static func clip(_ path: BezierPath, to rect: Rect) -> [Piece] {
        var kept: [(Point, BezierPath.Segment)] = []
        func visit(_ p0: Point, _ s: BezierPath.Segment, depth: Int) {
            let xs = [p0.x, s.control1.x, s.control2.x, s.end.x], ys = [p0.y, s.control1.y, s.control2.y, s.end.y]
            let box = Rect(xs.min()!, ys.min()!, xs.max()! - xs.min()!, ys.max()! - ys.min()!)
            if box.x >= rect.x && box.maxX <= rect.maxX && box.y >= rect.y && box.maxY <= rect.maxY { kept.append((p0, s)); return }
            if box.maxX < rect.x || box.x > rect.maxX || box.maxY < rect.y || box.y > rect.maxY { return }
            if depth >= 24 || max(box.width, box.height) < 0.25 {
                if rect.contains(Point((p0.x + s.end.x) / 2, (p0.y + s.end.y) / 2)) { kept.append((p0, s)) }
                return
            }
            let (a, b) = split(p0, s)
            visit(p0, a, depth: depth + 1)
            visit(a.end, b, depth: depth + 1)
        }
        var p = path.start
        for s in path.segments { visit(p, s, depth: 0); p = s.end }

        var pieces: [Piece] = []
        for (start, seg) in kept {
            if var last = pieces.last, last.path.end == start {
                last.path.segments.append(seg)
                pieces[pieces.count - 1] = last
            } else {
                pieces.append(Piece(path: BezierPath(start: start, segments: [seg]), atPathStart: start == path.start, atPathEnd: false))
            }
        }
        for i in pieces.indices { pieces[i].atPathEnd = pieces[i].path.end == path.end }
        return pieces
    }

    /// De Casteljau at t = 1/2.
    static func split(_ p0: Point, _ s: BezierPath.Segment) -> (BezierPath.Segment, BezierPath.Segment) {
        func mid(_ a: Point, _ b: Point) -> Point { Point((a.x + b.x) / 2, (a.y + b.y) / 2) }
        let p01 = mid(p0, s.control1), p12 = mid(s.control1, s.control2), p23 = mid(s.control2, s.end)
        let p012 = mid(p01, p12), p123 = mid(p12, p23), m = mid(p012, p123)
        return (.init(p01, p012, m), .init(p123, p23, s.end))
    }
}
